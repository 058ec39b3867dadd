#!/usr/bin/env node
/**
 * `npm run bench`: the gateway vs direct vs a bare Node proxy (the floor, bench/bare-proxy.mjs),
 * in the same run, against a fake OpenAI upstream on loopback. Scenarios: 1 and 50 connections,
 * non-streaming and streaming, each target measured in alternating rounds; then embeddings
 * (gateway vs direct, half the time); then the response cache (a hit, and a request that
 * hashes and stores its answer, next to a routed request of an uncached alias, all through the
 * same gateway), `/v1/messages` to an Anthropic upstream (bench/messages.mjs) and `/v1/responses`
 * (bench/responses.mjs). Prints req/s, p50,
 * p99, each server's CPU per request and the ratios; then the routing replay and decision cost (bench/replay.mjs,
 * bench/routing-decision.mjs) and the status app's benchmark (bench/status.mjs). Needs the built gateway (`npm run build`; this script builds when missing).
 *
 * BENCH_SECONDS (default 8) sets each target's measured time per scenario, split over
 * BENCH_ROUNDS (default 4) rounds; BENCH_CHUNKS (default 20) the number of content chunks per
 * streamed answer; BENCH_PROXY_ONLY=1 stops after the proxy comparison.
 */
import { spawnBenchGateway } from './gateway-process.mjs';
import { waitForHealth } from './wait-for-health.mjs';
import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { combineRounds, runLoad } from './load.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const chunks = Number(process.env.BENCH_CHUNKS ?? 20);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));
const gatewayMain = join(root, 'dist/apps/gateway/main.js');
const MASTER_KEY = 'bench-key';
const GATEWAY_PORT = Number(process.env.BENCH_GATEWAY_PORT ?? 18181);

if (!existsSync(gatewayMain)) {
  const build = spawnSync('npx', ['nx', 'run', 'gateway:build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });
  if (build.status !== 0) process.exit(1);
}

const upstream = fork(join(root, 'bench/fake-openai-upstream.mjs'), ['0', String(chunks)], { stdio: 'inherit' });
const upstreamPort = await new Promise((resolve) => upstream.once('message', (m) => resolve(m.port)));

const configDir = mkdtempSync(join(tmpdir(), 'rainymodel-bench-'));
const configFile = join(configDir, 'config.yaml');
writeFileSync(
  configFile,
  `model_list:\n  - model_name: rainymodel/auto\n    litellm_params:\n      model: openai/bench-model\n      api_base: http://127.0.0.1:${upstreamPort}/v1\n      api_key: upstream-key\n` +
    `  - model_name: rainymodel/embed\n    litellm_params:\n      model: openai/bench-embed\n      api_base: http://127.0.0.1:${upstreamPort}/v1\n      api_key: upstream-key\n    model_info: { mode: embedding }\n` +
    // The same upstream behind a cached alias, for the response cache's rows; rainymodel/auto stays uncached (the rows above).
    `  - model_name: rainymodel/cached\n    litellm_params:\n      model: openai/bench-model\n      api_base: http://127.0.0.1:${upstreamPort}/v1\n      api_key: upstream-key\n    model_info:\n      cache: { ttl: 3600 }\n`,
);
const gateway = spawnBenchGateway(root, { port: GATEWAY_PORT, configFile, masterKey: MASTER_KEY });
await waitForHealth(`http://127.0.0.1:${GATEWAY_PORT}/health`);

const floor = fork(join(root, 'bench/bare-proxy.mjs'), ['0', `http://127.0.0.1:${upstreamPort}`, MASTER_KEY, 'upstream-key'], { stdio: 'inherit' });
const floorPort = await new Promise((resolve) => floor.once('message', (m) => resolve(m.port)));

const message = { model: 'rainymodel/auto', messages: [{ role: 'user', content: 'Say hello.' }] };
const scenarios = [
  { name: 'non-streaming', connections: 1, stream: false },
  { name: 'non-streaming', connections: 50, stream: false },
  { name: 'streaming', connections: 1, stream: true },
  { name: 'streaming', connections: 50, stream: true },
];
const clientHeaders = { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}` };
const targets = [
  { label: 'direct', url: `http://127.0.0.1:${upstreamPort}`, headers: { 'content-type': 'application/json', authorization: 'Bearer upstream-key' }, pid: upstream.pid },
  { label: 'floor', url: `http://127.0.0.1:${floorPort}`, headers: clientHeaders, pid: floor.pid },
  { label: 'gateway', url: `http://127.0.0.1:${GATEWAY_PORT}`, headers: clientHeaders, pid: gateway.pid },
];

console.log(`RainyModel benchmark: ${seconds}s per target and scenario in ${rounds} alternating rounds, fake OpenAI upstream on loopback, ${chunks} chunks per stream, node ${process.version}`);
console.log('floor = a bare Node proxy (bench/bare-proxy.mjs): key check, JSON parse, keep-alive forward, JSON re-send or stream pipe');
console.log('cpu = the serving process\'s CPU time per request (user + system), steadier than req/s on a busy machine\n');
const rows = [];
for (const s of scenarios) {
  const body = JSON.stringify({ ...message, stream: s.stream });
  const runs = Object.fromEntries(targets.map((t) => [t.label, []]));
  // Alternating short rounds, so a load spike on the machine falls on every target alike.
  for (let round = 0; round < rounds; round++) {
    for (const t of targets) {
      runs[t.label].push(await runLoad({ body, connections: s.connections, durationMs: (seconds * 1000) / rounds, warmupMs: round === 0 ? 1000 : 200, url: t.url, path: '/v1/chat/completions', headers: t.headers, serverPid: t.pid }));
    }
  }
  const row = { ...s, ...Object.fromEntries(Object.entries(runs).map(([label, r]) => [label, combineRounds(r)])) };
  rows.push(row);
  print(row);
}

console.log('\nsummary');
for (const r of rows) {
  const cpu = r.gateway.cpuUsPerRequest !== undefined && r.floor.cpuUsPerRequest !== undefined ? `   cpu/request ${(r.gateway.cpuUsPerRequest / r.floor.cpuUsPerRequest).toFixed(2)}x floor's` : '';
  console.log(
    `  ${`${r.name}, ${r.connections} conn`.padEnd(26)} throughput ${pct(r.gateway.rps / r.floor.rps)} of floor, ${pct(r.gateway.rps / r.direct.rps)} of direct   added p50 ${fmt(r.gateway.p50 - r.direct.p50)} ms (floor ${fmt(r.floor.p50 - r.direct.p50)})   added p99 ${fmt(r.gateway.p99 - r.direct.p99)} ms${cpu}`,
  );
}

// Embeddings (POST /v1/embeddings, one input, a 1536-value vector as base64, the openai SDKs'
// default): the gateway against direct (the floor proxy speaks chat only).
console.log('\nembeddings, base64 (one 1536-value vector per answer)');
const embedTargets = targets.filter((t) => t.label !== 'floor');
for (const connections of [1, 50]) {
  const runs = Object.fromEntries(embedTargets.map((t) => [t.label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const t of embedTargets) {
      const body = JSON.stringify({ model: t.label === 'direct' ? 'bench-embed' : 'rainymodel/embed', input: 'Say hello.', encoding_format: 'base64' });
      runs[t.label].push(await runLoad({ body, connections, durationMs: (seconds * 500) / rounds, warmupMs: round === 0 ? 1000 : 200, url: t.url, path: '/v1/embeddings', headers: t.headers, serverPid: t.pid }));
    }
  }
  const direct = combineRounds(runs.direct);
  const viaGateway = combineRounds(runs.gateway);
  console.log(`  ${connections} conn`.padEnd(10) + `gateway ${viaGateway.rps.toFixed(0).padStart(6)} req/s (${pct(viaGateway.rps / direct.rps)} of direct)   p50 ${fmt(viaGateway.p50)} ms, added ${fmt(viaGateway.p50 - direct.p50)} ms   errors ${viaGateway.errors}`);
}

// The response cache: the same deterministic question through the gateway, to an uncached alias
// (routed to the upstream), to a cached alias with `x-rainymodel-cache: refresh` (routed, plus
// the key's hash and the store of each answer), and to the cached alias (a hit after the first).
const cacheTargets = [
  { label: 'routed', model: 'rainymodel/auto', headers: clientHeaders },
  { label: 'refresh', model: 'rainymodel/cached', headers: { ...clientHeaders, 'x-rainymodel-cache': 'refresh' } },
  { label: 'hit', model: 'rainymodel/cached', headers: clientHeaders },
];
console.log('\nresponse cache: a hit next to a routed request (temperature 0; refresh = routed + hashed + stored)');
const cacheRows = [];
for (const s of scenarios) {
  const runs = Object.fromEntries(cacheTargets.map((t) => [t.label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const t of cacheTargets) {
      const body = JSON.stringify({ ...message, model: t.model, temperature: 0, stream: s.stream });
      runs[t.label].push(await runLoad({ body, connections: s.connections, durationMs: (seconds * 1000) / rounds, warmupMs: round === 0 ? 1000 : 200, url: `http://127.0.0.1:${GATEWAY_PORT}`, path: '/v1/chat/completions', headers: t.headers, serverPid: gateway.pid }));
    }
  }
  const row = { ...s, ...Object.fromEntries(Object.entries(runs).map(([label, r]) => [label, combineRounds(r)])) };
  cacheRows.push(row);
  print(row, cacheTargets);
}
console.log('\nresponse cache summary');
for (const r of cacheRows) {
  console.log(`  ${`${r.name}, ${r.connections} conn`.padEnd(26)} hit ${(r.hit.rps / r.routed.rps).toFixed(2)}x the routed throughput, p50 ${fmt(r.hit.p50)} ms vs ${fmt(r.routed.p50)} ms   refresh (hash + store) ${pct(r.refresh.rps / r.routed.rps)} of routed`);
}

gateway.kill('SIGTERM');
floor.kill('SIGTERM');
upstream.kill('SIGTERM');
if (process.env.BENCH_PROXY_ONLY === '1') process.exit(process.exitCode ?? 0);

// The other client protocols, each with its own gateway and upstream: `/v1/messages` to an
// Anthropic upstream (bench/messages.mjs) and `/v1/responses` next to chat completions
// (bench/responses.mjs).
for (const script of ['bench/messages.mjs', 'bench/responses.mjs']) {
  const part = spawnSync(process.execPath, [join(root, script)], { cwd: root, stdio: 'inherit' });
  if (part.status !== 0) process.exitCode = part.status ?? 1;
}

// Second part: routing — the replay of a mixed workload in plain order and per profile, and
// the routing decision's own cost (bench/replay.mjs, bench/routing-decision.mjs).
for (const script of ['bench/replay.mjs', 'bench/routing-decision.mjs']) {
  const part = spawnSync(process.execPath, [join(root, script)], { cwd: root, stdio: 'inherit' });
  if (part.status !== 0) process.exitCode = part.status ?? 1;
}

// Third part: the status app checking 1,000 monitors (bench/status.mjs, its own processes).
console.log('');
const statusBench = spawnSync(process.execPath, [join(root, 'bench/status.mjs')], { cwd: root, stdio: 'inherit' });
if (statusBench.status !== 0) process.exitCode = statusBench.status ?? 1;

function print(r, shown = targets) {
  const line = (label, m) =>
    `    ${label.padEnd(8)} ${m.rps.toFixed(0).padStart(7)} req/s   p50 ${fmt(m.p50)} ms   p99 ${fmt(m.p99)} ms   ${m.cpuUsPerRequest === undefined ? '' : `cpu ${m.cpuUsPerRequest.toFixed(0).padStart(4)} µs/req   `}(${m.requests} requests, ${m.errors} errors)`;
  console.log(`${r.name}, ${r.connections} connection${r.connections > 1 ? 's' : ''}`);
  for (const t of shown) console.log(line(t.label, r[t.label]));
}


function pct(ratio) {
  return `${(100 * ratio).toFixed(1).padStart(5)}%`;
}

function fmt(ms) {
  return ms.toFixed(3).padStart(7);
}
