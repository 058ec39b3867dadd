#!/usr/bin/env node
/**
 * `/v1/messages` to an Anthropic upstream (the native passthrough: the client's body forwarded,
 * the upstream's bytes relayed while the gateway watches the events): the gateway vs the fake
 * Anthropic upstream called directly, at 1 and 50 connections, streaming and not, in
 * alternating rounds. Run by `npm run bench` (bench/run.mjs) after the chat-completions part;
 * alone: `node bench/messages.mjs` (needs the built gateway). Same BENCH_SECONDS, BENCH_ROUNDS
 * and BENCH_CHUNKS as bench/run.mjs.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { combineRounds, runLoad } from './load.mjs';
import { spawnBenchGateway } from './gateway-process.mjs';
import { waitForHealth } from './wait-for-health.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const chunks = Number(process.env.BENCH_CHUNKS ?? 20);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));
const MASTER_KEY = 'bench-key';
const GATEWAY_PORT = Number(process.env.BENCH_MESSAGES_GATEWAY_PORT ?? 18182);

const upstream = fork(join(root, 'bench/fake-anthropic-upstream.mjs'), ['0', String(chunks)], { stdio: 'inherit' });
const upstreamPort = await new Promise((resolve) => upstream.once('message', (m) => resolve(m.port)));
const configFile = join(mkdtempSync(join(tmpdir(), 'rainymodel-bench-messages-')), 'config.yaml');
writeFileSync(
  configFile,
  `model_list:\n  - model_name: rainymodel/agent\n    litellm_params:\n      model: anthropic/bench-claude\n      api_base: http://127.0.0.1:${upstreamPort}\n      api_key: upstream-key\nmodel_aliases:\n  "claude-*": rainymodel/agent\n`,
);
const gateway = spawnBenchGateway(root, { port: GATEWAY_PORT, configFile, masterKey: MASTER_KEY });
try {
  await waitForHealth(`http://127.0.0.1:${GATEWAY_PORT}/health`);
  const headers = (key) => ({ 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' });
  const targets = [
    { label: 'direct', url: `http://127.0.0.1:${upstreamPort}`, headers: headers('upstream-key'), pid: upstream.pid },
    { label: 'gateway', url: `http://127.0.0.1:${GATEWAY_PORT}`, headers: headers(MASTER_KEY), pid: gateway.pid },
  ];
  console.log(`\n/v1/messages to an Anthropic upstream (passthrough): ${seconds}s per target and scenario in ${rounds} rounds, ${chunks} chunks per stream`);
  const summary = [];
  for (const [stream, connections] of [[false, 1], [false, 50], [true, 1], [true, 50]]) {
    const body = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 256, stream, messages: [{ role: 'user', content: 'Say hello.' }] });
    const runs = { direct: [], gateway: [] };
    for (let round = 0; round < rounds; round++) {
      for (const t of targets) {
        runs[t.label].push(await runLoad({ body, connections, durationMs: (seconds * 1000) / rounds, warmupMs: round === 0 ? 1000 : 200, url: t.url, path: '/v1/messages', headers: t.headers, serverPid: t.pid }));
      }
    }
    const direct = combineRounds(runs.direct);
    const viaGateway = combineRounds(runs.gateway);
    const name = `${stream ? 'streaming' : 'non-streaming'}, ${connections} conn`;
    console.log(name);
    for (const [label, m] of [['direct', direct], ['gateway', viaGateway]]) {
      console.log(`    ${label.padEnd(8)} ${m.rps.toFixed(0).padStart(7)} req/s   p50 ${fmt(m.p50)} ms   p99 ${fmt(m.p99)} ms   ${m.cpuUsPerRequest === undefined ? '' : `cpu ${m.cpuUsPerRequest.toFixed(0).padStart(4)} µs/req   `}(${m.requests} requests, ${m.errors} errors)`);
    }
    if (viaGateway.errors > 0) process.exitCode = 1;
    summary.push(`  ${name.padEnd(26)} throughput ${(100 * (viaGateway.rps / direct.rps)).toFixed(1).padStart(5)}% of direct   added p50 ${fmt(viaGateway.p50 - direct.p50)} ms   added p99 ${fmt(viaGateway.p99 - direct.p99)} ms`);
  }
  console.log('\nsummary, /v1/messages');
  for (const line of summary) console.log(line);
} finally {
  gateway.kill('SIGTERM');
  upstream.kill('SIGTERM');
}


function fmt(ms) {
  return ms.toFixed(3).padStart(7);
}
