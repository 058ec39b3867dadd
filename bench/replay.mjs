#!/usr/bin/env node
/**
 * The routing replay (`npm run bench`, or alone: `node bench/replay.mjs`): the same mixed
 * workload (bench/replay/workload.mjs) through the built gateway against fake upstreams that
 * differ in latency, price, window and failure rate (bench/replay/deployments.mjs), once in
 * plain tier order and once per profile. Prints cost per 1,000 requests, p50/p95 latency,
 * success rate, the mean quality served and the requests each deployment served, then checks
 * that each goal-driven profile beats plain order on its own goal (speed → p50 latency,
 * budget → cost, quality → quality served); a loss sets a non-zero exit code.
 *
 * REPLAY_REQUESTS (default 400) per run, REPLAY_CONCURRENCY (default 8).
 */
import { spawnBenchGateway } from './gateway-process.mjs';
import { waitForHealth } from './wait-for-health.mjs';
import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { DEPLOYMENTS, SLOWDOWN, replayConfig } from './replay/deployments.mjs';
import { buildWorkload } from './replay/workload.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const gatewayMain = join(root, 'dist/apps/gateway/main.js');
const REQUESTS = Number(process.env.REPLAY_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.REPLAY_CONCURRENCY ?? 8);
const PORT = Number(process.env.BENCH_REPLAY_PORT ?? 18182);
const MODES = process.env.REPLAY_MODES ? process.env.REPLAY_MODES.split(',').map((m) => (m === 'plain' ? undefined : m)) : [undefined, 'quality', 'balanced', 'speed', 'budget', 'long-context'];
const byName = new Map(DEPLOYMENTS.map((d) => [d.name, d]));

if (!existsSync(gatewayMain)) {
  const build = spawnSync('npx', ['nx', 'run', 'gateway:build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });
  if (build.status !== 0) process.exit(1);
}

const fleet = fork(join(root, 'bench/replay/fleet.mjs'), [JSON.stringify(DEPLOYMENTS.map(({ name, latencyMs, failureRate }) => ({ name, latencyMs, failureRate })))], { stdio: 'inherit' });
const ports = await new Promise((resolve) => fleet.once('message', (m) => resolve(m.ports)));
let messageId = 0;
const tell = (message) =>
  new Promise((resolve) => {
    const id = ++messageId;
    const onAck = (m) => {
      if (m.type === 'ack' && m.id === id) {
        fleet.off('message', onAck);
        resolve();
      }
    };
    fleet.on('message', onAck);
    fleet.send({ ...message, id });
  });

const configFile = join(mkdtempSync(join(tmpdir(), 'rainymodel-replay-')), 'config.yaml');
writeFileSync(configFile, replayConfig(ports));
const workload = buildWorkload(REQUESTS).map((r) => ({ kind: r.kind, body: JSON.stringify({ model: 'rainymodel/auto', ...r.body }) }));
const mix = Object.entries(workload.reduce((acc, r) => ((acc[r.kind] = (acc[r.kind] ?? 0) + 1), acc), {}))
  .map(([k, n]) => `${n} ${k}`)
  .join(', ');

console.log(`\nRouting replay: ${REQUESTS} requests per run (${mix}), ${CONCURRENCY} at a time; ${SLOWDOWN.name} slows to ${SLOWDOWN.latencyMs} ms after ${SLOWDOWN.afterShare * 100}% of the run\n`);
const results = [];
for (const profile of MODES) {
  await tell({ type: 'reset' });
  results.push(await runMode(profile));
  printRow(results.at(-1));
}
fleet.kill('SIGTERM');

const plain = results.find((r) => r.mode === 'plain order');
const goals = [
  ['speed', 'p50 latency', (r) => r.p50, 'lower'],
  ['budget', 'cost per 1,000 requests', (r) => r.costPer1000, 'lower'],
  ['quality', 'quality served', (r) => r.quality, 'higher'],
];
console.log('');
for (const [profile, label, metric, better] of goals) {
  const r = results.find((x) => x.mode === profile);
  if (!r || !plain) continue;
  const wins = better === 'lower' ? metric(r) < metric(plain) : metric(r) > metric(plain);
  console.log(`  ${wins ? 'ok  ' : 'FAIL'} ${profile} vs plain order on ${label}: ${fmt(metric(r))} vs ${fmt(metric(plain))}`);
  if (!wins) process.exitCode = 1;
}

async function runMode(profile) {
  const gateway = spawnBenchGateway(root, { port: PORT, configFile, masterKey: 'replay-key' });
  await waitForHealth(`http://127.0.0.1:${PORT}/health`);
  const pool = new Pool(`http://127.0.0.1:${PORT}`, { connections: CONCURRENCY, keepAliveTimeout: 60_000 });
  const headers = { 'content-type': 'application/json', authorization: 'Bearer replay-key', ...(profile ? { 'x-rainymodel-profile': profile } : {}) };
  const latencies = [];
  const served = Object.fromEntries(DEPLOYMENTS.map((d) => [d.name, 0]));
  let next = 0;
  let ok = 0;
  let cost = 0;
  let quality = 0;
  let slowed = false;
  const byKind = {};
  const worker = async () => {
    while (next < workload.length) {
      const i = next++;
      if (!slowed && i >= workload.length * SLOWDOWN.afterShare) {
        slowed = true;
        await tell({ type: 'latency', name: SLOWDOWN.name, ms: SLOWDOWN.latencyMs });
      }
      const started = process.hrtime.bigint();
      const res = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers, body: workload[i].body });
      const text = await res.body.text();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      latencies.push(ms);
      if (process.env.REPLAY_DEBUG) (byKind[`${workload[i].kind} ${res.headers['x-rainymodel-model']}`] ??= []).push(ms);
      if (res.statusCode !== 200) continue;
      ok++;
      const deployment = byName.get(res.headers['x-rainymodel-model']);
      const usage = JSON.parse(text).usage;
      served[deployment.name]++;
      cost += usage.prompt_tokens * deployment.input + usage.completion_tokens * deployment.output;
      quality += deployment.quality;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (process.env.REPLAY_DEBUG) {
    const health = await (await fetch(`http://127.0.0.1:${PORT}/health/upstreams`, { headers })).json();
    for (const [k, v] of Object.entries(byKind)) console.log(`  ${k}: n=${v.length} mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(0)} ms`);
    console.log(health.data.map((d) => `${d.name}: ewma ${d.latency_ewma_ms} ms, ${d.successes} ok, ${d.failures} failed, ${d.circuit}`).join('\n'));
  }
  await pool.close();
  gateway.kill('SIGTERM');
  await new Promise((resolve) => gateway.once('exit', resolve));
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { mode: profile ?? 'plain order', costPer1000: (1000 * cost) / workload.length, p50: pct(0.5), p95: pct(0.95), success: ok / workload.length, quality: quality / Math.max(ok, 1), served };
}

function printRow(r) {
  if (results.length === 1) {
    console.log(`| mode | cost / 1k req | p50 | p95 | success | quality served | requests per deployment (${DEPLOYMENTS.map((d) => d.name).join(' / ')}) |`);
    console.log('|---|---|---|---|---|---|---|');
  }
  console.log(`| ${r.mode} | $${r.costPer1000.toFixed(3)} | ${r.p50.toFixed(0)} ms | ${r.p95.toFixed(0)} ms | ${(100 * r.success).toFixed(1)}% | ${r.quality.toFixed(2)} | ${DEPLOYMENTS.map((d) => r.served[d.name]).join(' / ')} |`);
}

function fmt(x) {
  return x.toFixed(3);
}
