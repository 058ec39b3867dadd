#!/usr/bin/env node
/**
 * `npm run bench:soak`: a long streaming soak of the built gateway against the fake OpenAI
 * upstream on loopback, watching for leaks. After a warm-up it samples the gateway's resident
 * memory (RSS, from /proc) at the start, the middle and the end of the run and prints them; the
 * run passes when the end and the middle are within 10% of the start. Not part of `npm test`.
 *
 * SOAK_MINUTES (default 10) sets the length; SOAK_CONNECTIONS (default 20) the concurrency;
 * BENCH_CHUNKS (default 20) the chunks per streamed answer.
 */
import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad } from './load.mjs';
import { spawnBenchGateway } from './gateway-process.mjs';
import { waitForHealth } from './wait-for-health.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const connections = Number(process.env.SOAK_CONNECTIONS ?? 20);
const chunks = Number(process.env.BENCH_CHUNKS ?? 20);
const gatewayMain = join(root, 'dist/apps/gateway/main.js');
const PORT = Number(process.env.BENCH_GATEWAY_PORT ?? 18182);
const TOLERANCE = 0.1;

if (!existsSync(gatewayMain)) {
  const build = spawnSync('npx', ['nx', 'run', 'gateway:build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });
  if (build.status !== 0) process.exit(1);
}

const upstream = fork(join(root, 'bench/fake-openai-upstream.mjs'), ['0', String(chunks)], { stdio: 'inherit' });
const upstreamPort = await new Promise((resolve) => upstream.once('message', (m) => resolve(m.port)));
const configFile = join(mkdtempSync(join(tmpdir(), 'rainymodel-soak-')), 'config.yaml');
writeFileSync(configFile, `model_list:\n  - model_name: rainymodel/auto\n    litellm_params:\n      model: openai/bench-model\n      api_base: http://127.0.0.1:${upstreamPort}/v1\n      api_key: upstream-key\n`);
const gateway = spawnBenchGateway(root, { port: PORT, configFile, masterKey: 'soak-key' });
await waitForHealth(`http://127.0.0.1:${PORT}/health`);

const load = (durationMs, warmupMs) =>
  runLoad({
    url: `http://127.0.0.1:${PORT}`,
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', authorization: 'Bearer soak-key' },
    body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'Say hello.' }], stream: true }),
    connections,
    durationMs,
    warmupMs,
  });
const rssMb = () => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${gateway.pid}/status`, 'utf8'))?.[1]) / 1024;

console.log(`RainyModel soak: ${minutes} min of streaming at ${connections} connections, ${chunks} chunks per answer, node ${process.version}`);
// A minute of warm-up first: JIT, pools and caches fill before the baseline is taken.
await load(Math.min(60_000, (minutes * 60_000) / 10), 1000);
const half = (minutes * 60_000) / 2;
const samples = [{ at: 'start', rss: rssMb() }];
const first = await load(half, 0);
samples.push({ at: 'middle', rss: rssMb() });
const second = await load(half, 0);
samples.push({ at: 'end', rss: rssMb() });

const base = samples[0].rss;
for (const s of samples) console.log(`  ${s.at.padEnd(7)} RSS ${s.rss.toFixed(1).padStart(7)} MB   ${s === samples[0] ? '' : `${(100 * (s.rss / base - 1)).toFixed(1)}% from start`}`);
const requests = first.requests + second.requests;
const errors = first.errors + second.errors;
console.log(`  ${requests} streams, ${errors} errors, ${((first.rps + second.rps) / 2).toFixed(0)} req/s`);
const flat = samples.every((s) => Math.abs(s.rss / base - 1) <= TOLERANCE);
console.log(flat && errors === 0 ? `  flat: within ${100 * TOLERANCE}% of the start` : `  NOT FLAT or errors: RSS moved more than ${100 * TOLERANCE}% or streams failed`);
gateway.kill('SIGTERM');
upstream.kill('SIGTERM');
process.exitCode = flat && errors === 0 ? 0 : 1;
