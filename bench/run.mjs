#!/usr/bin/env node
/**
 * `npm run bench`: gateway vs direct, in the same run, against a fake OpenAI upstream on
 * loopback. Scenarios: 1 and 50 connections, non-streaming and streaming. Prints req/s, p50,
 * p99 and the ratios; then the routing replay and decision cost (bench/replay.mjs,
 * bench/routing-decision.mjs) and the status app's benchmark (bench/status.mjs). Needs the built gateway (`npm run build`; this script builds when missing).
 *
 * BENCH_SECONDS (default 8) sets each measured run's length; BENCH_CHUNKS (default 20) the
 * number of content chunks per streamed answer.
 */
import { waitForHealth } from './wait-for-health.mjs';
import { fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad } from './load.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const chunks = Number(process.env.BENCH_CHUNKS ?? 20);
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
  `model_list:\n  - model_name: rainymodel/auto\n    litellm_params:\n      model: openai/bench-model\n      api_base: http://127.0.0.1:${upstreamPort}/v1\n      api_key: upstream-key\n`,
);
const gateway = spawn(process.execPath, [gatewayMain], {
  cwd: root,
  env: { ...process.env, PORT: String(GATEWAY_PORT), HOST: '127.0.0.1', RAINYMODEL_CONFIG: configFile, RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: '127.0.0.1', RAINYMODEL_MASTER_KEY: MASTER_KEY, NODE_ENV: 'production' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
await waitForHealth(`http://127.0.0.1:${GATEWAY_PORT}/health`);

const message = { model: 'rainymodel/auto', messages: [{ role: 'user', content: 'Say hello.' }] };
const scenarios = [
  { name: 'non-streaming', connections: 1, stream: false },
  { name: 'non-streaming', connections: 50, stream: false },
  { name: 'streaming', connections: 1, stream: true },
  { name: 'streaming', connections: 50, stream: true },
];

console.log(`RainyModel benchmark: ${seconds}s per run, fake OpenAI upstream on loopback, ${chunks} chunks per stream, node ${process.version}\n`);
const rows = [];
for (const s of scenarios) {
  const body = JSON.stringify({ ...message, stream: s.stream });
  const common = { body, connections: s.connections, durationMs: seconds * 1000 };
  const direct = await runLoad({ ...common, url: `http://127.0.0.1:${upstreamPort}`, path: '/v1/chat/completions', headers: { 'content-type': 'application/json', authorization: 'Bearer upstream-key' } });
  const viaGateway = await runLoad({ ...common, url: `http://127.0.0.1:${GATEWAY_PORT}`, path: '/v1/chat/completions', headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}` } });
  rows.push({ ...s, direct, viaGateway });
  print(rows.at(-1));
}

console.log('\nsummary');
for (const r of rows) {
  console.log(
    `  ${`${r.name}, ${r.connections} conn`.padEnd(26)} throughput ${(100 * (r.viaGateway.rps / r.direct.rps)).toFixed(1).padStart(5)}% of direct   added p50 ${fmt(r.viaGateway.p50 - r.direct.p50)} ms   added p99 ${fmt(r.viaGateway.p99 - r.direct.p99)} ms`,
  );
}

gateway.kill('SIGTERM');
upstream.kill('SIGTERM');

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

function print(r) {
  const line = (label, m) =>
    `    ${label.padEnd(8)} ${m.rps.toFixed(0).padStart(7)} req/s   p50 ${fmt(m.p50)} ms   p99 ${fmt(m.p99)} ms   (${m.requests} requests, ${m.errors} errors)`;
  console.log(`${r.name}, ${r.connections} connection${r.connections > 1 ? 's' : ''}`);
  console.log(line('direct', r.direct));
  console.log(line('gateway', r.viaGateway));
}

function fmt(ms) {
  return ms.toFixed(3).padStart(7);
}
