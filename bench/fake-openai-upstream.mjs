/**
 * The benchmark's upstream: the cheapest possible OpenAI-compatible server (precomputed JSON
 * answer and SSE stream, and a 1536-value embedding on /v1/embeddings), run in its own process so it never shares an event loop with the
 * gateway or the load generator. Usage: node fake-openai-upstream.mjs <port> <stream chunks>
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const chunks = Number(process.argv[3] ?? 20);
const created = Math.floor(Date.now() / 1000);

const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created,
  model: 'bench-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the benchmark upstream.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
});
const chunk = (delta, finish = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model: 'bench-model', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
let stream = chunk({ role: 'assistant', content: '' });
for (let i = 0; i < chunks; i++) stream += chunk({ content: `tok${i} ` });
stream += chunk({}, 'stop') + 'data: [DONE]\n\n';

// POST /v1/embeddings: one 1536-value vector (text-embedding-3-small's size), as floats or as
// base64 float32 (what the openai SDKs ask by default).
const vector = Array.from({ length: 1536 }, (_, i) => Math.fround(Math.sin(i) / 10));
const embeddingAnswer = (embedding) => JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding }], model: 'bench-embed', usage: { prompt_tokens: 4, total_tokens: 4 } });
const embeddingsFloat = embeddingAnswer(vector);
const embeddingsBase64 = embeddingAnswer(Buffer.from(new Float32Array(vector).buffer).toString('base64'));

const server = createServer((req, res) => {
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', () => {
    if (req.url?.endsWith('/embeddings')) {
      const answer = Buffer.concat(parts).includes('"base64"') ? embeddingsBase64 : embeddingsFloat;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      return res.end(answer);
    }
    const streaming = Buffer.concat(parts).includes('"stream":true');
    if (streaming) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(stream);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) });
      res.end(completion);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.send?.({ port: server.address().port }));
