#!/usr/bin/env node
/**
 * `node bench/responses.mjs`: what the Responses API costs on top of chat completions, in the
 * same gateway process against the same fake OpenAI upstream: `/v1/responses` (translated to a
 * chat request, the answer or stream translated back into Responses events) vs
 * `/v1/chat/completions` (forwarded), whole and streamed, at 1 and 50 connections, in
 * alternating rounds. Prints req/s, p50 and the gateway's CPU per request for both, and their
 * ratio. Needs the built gateway (`npm run build`; built when missing).
 *
 * BENCH_SECONDS (default 8) per endpoint and scenario, over BENCH_ROUNDS (default 4) rounds;
 * BENCH_CHUNKS (default 20) content chunks per stream.
 */
import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { combineRounds, runLoad } from './load.mjs';
import { spawnBenchGateway } from './gateway-process.mjs';
import { waitForHealth } from './wait-for-health.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));
const chunks = Number(process.env.BENCH_CHUNKS ?? 20);
const gatewayMain = join(root, 'dist/apps/gateway/main.js');
const KEY = 'bench-key';
const PORT = Number(process.env.BENCH_GATEWAY_PORT ?? 18182);

if (!existsSync(gatewayMain)) {
  const build = spawnSync('npx', ['nx', 'run', 'gateway:build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });
  if (build.status !== 0) process.exit(1);
}

const upstream = fork(join(root, 'bench/fake-openai-upstream.mjs'), ['0', String(chunks)], { stdio: 'inherit' });
const upstreamPort = await new Promise((resolve) => upstream.once('message', (m) => resolve(m.port)));
const configFile = join(mkdtempSync(join(tmpdir(), 'rainymodel-bench-')), 'config.yaml');
writeFileSync(configFile, `model_list:\n  - model_name: rainymodel/auto\n    litellm_params:\n      model: openai/bench-model\n      api_base: http://127.0.0.1:${upstreamPort}/v1\n      api_key: upstream-key\n`);
const gateway = spawnBenchGateway(root, { port: PORT, configFile, masterKey: KEY, env: { DATABASE_URL: '' } });

try {
  await waitForHealth(`http://127.0.0.1:${PORT}/health`);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };
  const endpoints = [
    { label: 'chat', path: '/v1/chat/completions', body: (stream) => ({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'Say hello.' }], stream }) },
    // store: false, as Codex sends it: no database in this run either way.
    { label: 'responses', path: '/v1/responses', body: (stream) => ({ model: 'rainymodel/auto', input: 'Say hello.', stream, store: false }) },
  ];
  console.log(`/v1/responses vs /v1/chat/completions: ${seconds}s per endpoint and scenario in ${rounds} alternating rounds, ${chunks} chunks per stream, node ${process.version}\n`);
  for (const stream of [false, true]) {
    for (const connections of [1, 50]) {
      const runs = Object.fromEntries(endpoints.map((e) => [e.label, []]));
      for (let round = 0; round < rounds; round++) {
        for (const e of endpoints) {
          runs[e.label].push(await runLoad({ url: `http://127.0.0.1:${PORT}`, path: e.path, headers, body: JSON.stringify(e.body(stream)), connections, durationMs: (seconds * 1000) / rounds, warmupMs: round === 0 ? 1000 : 200, serverPid: gateway.pid }));
        }
      }
      const chat = combineRounds(runs.chat);
      const responses = combineRounds(runs.responses);
      console.log(`${stream ? 'streaming' : 'non-streaming'}, ${connections} connection${connections > 1 ? 's' : ''}`);
      for (const [label, m] of [['chat', chat], ['responses', responses]]) {
        console.log(`    ${label.padEnd(10)} ${m.rps.toFixed(0).padStart(7)} req/s   p50 ${m.p50.toFixed(3)} ms   cpu ${m.cpuUsPerRequest === undefined ? '?' : m.cpuUsPerRequest.toFixed(0)} µs/req   (${m.requests} requests, ${m.errors} errors)`);
      }
      const cpu = chat.cpuUsPerRequest && responses.cpuUsPerRequest ? `, cpu/request ${(responses.cpuUsPerRequest / chat.cpuUsPerRequest).toFixed(2)}x chat's` : '';
      console.log(`    responses: ${((100 * responses.rps) / chat.rps).toFixed(1)}% of chat's throughput${cpu}\n`);
    }
  }
} finally {
  gateway.kill('SIGTERM');
  upstream.kill('SIGTERM');
}

