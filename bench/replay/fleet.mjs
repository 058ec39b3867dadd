/**
 * The replay's upstreams: one OpenAI-compatible server per deployment, all in this process
 * (own event loop, away from the gateway's), each with its own latency, jitter and failure
 * rate, drawn from a seeded generator so every run sees the same sequence. The parent drives
 * it over IPC: `{type: 'reset'}` before a run, `{type: 'latency', name, ms}` to slow one down
 * mid-run. Answers report usage: prompt tokens ≈ characters / 4, completion tokens 60% of
 * `max_tokens` (the bench prices answers from these).
 *
 * Usage: node fleet.mjs '<JSON array of {name, latencyMs, failureRate}>'
 */
import { createServer } from 'node:http';
import { seededRandom } from './random.mjs';

const specs = JSON.parse(process.argv[2] ?? '[]');
const servers = new Map();

for (const spec of specs) {
  const state = { ...spec, random: seededRandom(spec.name) };
  const server = createServer((req, res) => {
    const parts = [];
    req.on('data', (part) => parts.push(part));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
      const jitter = 0.8 + 0.4 * state.random();
      const fail = state.random() < state.failureRate;
      setTimeout(() => {
        if (fail) {
          const error = JSON.stringify({ error: { message: `${state.name} is overloaded`, type: 'server_error', param: null, code: null } });
          res.writeHead(503, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(error) });
          return res.end(error);
        }
        let chars = 0;
        for (const m of body.messages) chars += typeof m.content === 'string' ? m.content.length : 0;
        const completion = Math.round(0.6 * (body.max_tokens ?? 256));
        const prompt = Math.ceil(chars / 4);
        const answer = JSON.stringify({
          id: `chatcmpl-${state.name}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: state.name,
          choices: [{ index: 0, message: { role: 'assistant', content: `answer from ${state.name}` }, finish_reason: 'stop' }],
          usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
        });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
        res.end(answer);
      }, state.latencyMs * jitter);
    });
  });
  server.keepAliveTimeout = 60_000;
  servers.set(spec.name, { server, state });
}

await Promise.all([...servers.values()].map(({ server }) => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))));
process.on('message', (message) => {
  if (message.type === 'reset') {
    for (const spec of specs) Object.assign(servers.get(spec.name).state, spec, { random: seededRandom(spec.name) });
  } else if (message.type === 'latency') {
    servers.get(message.name).state.latencyMs = message.ms;
  }
  process.send?.({ type: 'ack', id: message.id });
});
process.send?.({ type: 'ports', ports: Object.fromEntries([...servers].map(([name, { server }]) => [name, server.address().port])) });
