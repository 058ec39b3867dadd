/**
 * How the gateway reads an upstream (`node bench/upstream-exchange.mjs`): the same keep-alive
 * undici Agent and fake OpenAI upstream (its own process), 20 requests in flight, each body
 * read whole — through `request()` and its Readable body, and through `UpstreamExchange`
 * (libs/providers/src/lib/http/upstream-exchange.ts: `dispatch` and its handler callbacks),
 * which the gateway uses. Prints this process's CPU time per exchange, alternating rounds, for
 * a 20-chunk stream and a whole answer.
 */
import './ts-hook.mjs';
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';

const require = createRequire(import.meta.url);
const { exchange } = require('@orcest/providers');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const upstream = fork(join(root, 'bench/fake-openai-upstream.mjs'), ['0', '20'], { stdio: 'inherit' });
const port = await new Promise((resolve) => upstream.once('message', (m) => resolve(m.port)));
const origin = `http://127.0.0.1:${port}`;
const agent = new Agent({ keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
const headers = { 'content-type': 'application/json', authorization: 'Bearer upstream-key' };

async function viaRequest(body) {
  const res = await agent.request({ origin, path: '/v1/chat/completions', method: 'POST', headers, body, signal: new AbortController().signal });
  return (await res.body.text()).length;
}

async function viaExchange(body) {
  const res = await exchange(agent, { origin, path: '/v1/chat/completions', method: 'POST', headers, body }, new AbortController().signal);
  return (await res.body.text(1 << 20)).length;
}

async function cpuPerExchange(read, body, ms) {
  const stopAt = Date.now() + ms;
  let count = 0;
  const worker = async () => {
    while (Date.now() < stopAt) {
      await read(body);
      count++;
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: 20 }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const stream of [true, false]) {
  const body = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'Say hello.' }], stream });
  await cpuPerExchange(viaRequest, body, 500);
  await cpuPerExchange(viaExchange, body, 500);
  const requestCpu = [];
  const exchangeCpu = [];
  for (let round = 0; round < 5; round++) {
    requestCpu.push(await cpuPerExchange(viaRequest, body, 1500));
    exchangeCpu.push(await cpuPerExchange(viaExchange, body, 1500));
  }
  console.log(`${stream ? 'stream (20 chunks)' : 'whole answer'}: request() ${median(requestCpu).toFixed(1)} µs, UpstreamExchange ${median(exchangeCpu).toFixed(1)} µs of CPU per exchange (median of 5 rounds)`);
}
upstream.kill('SIGTERM');
await agent.close();
