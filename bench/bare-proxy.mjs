/**
 * The benchmark's floor: the least an honest proxy does per chat request, in its own process.
 * It checks a bearer key, reads and parses the JSON body, forwards its bytes over a keep-alive
 * pool (undici, as the gateway does), and for a whole answer parses and re-sends the JSON; a
 * stream is piped through untouched. No routing, no limits, no usage, no logging: what the
 * gateway does beyond this is its own cost, and `npm run bench` reports the gateway's
 * throughput as a share of this one's.
 *
 * Usage: node bare-proxy.mjs <port> <upstream origin> <client key> <upstream key>
 * (sends `{ port }` to its parent once listening).
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [port, upstreamOrigin, clientKey, upstreamKey] = process.argv.slice(2);
const expectedAuthorization = `Bearer ${clientKey}`;
const pool = new Pool(upstreamOrigin, { connections: 128, keepAliveTimeout: 60_000 });
const upstreamHeaders = { 'content-type': 'application/json', authorization: `Bearer ${upstreamKey}` };

function fail(res, status, message) {
  const body = JSON.stringify({ error: { message, type: 'invalid_request_error' } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer((req, res) => {
  if (req.headers.authorization !== expectedAuthorization) {
    req.resume();
    fail(res, 401, 'bad key');
    return;
  }
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', async () => {
    const body = Buffer.concat(parts);
    let request;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      fail(res, 400, 'malformed JSON');
      return;
    }
    try {
      const upstream = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers: upstreamHeaders, body });
      if (request.stream === true) {
        res.writeHead(upstream.statusCode, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        for await (const chunk of upstream.body) res.write(chunk);
        res.end();
        return;
      }
      const answer = JSON.stringify(await upstream.body.json());
      res.writeHead(upstream.statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    } catch (error) {
      if (!res.headersSent) fail(res, 502, String(error));
      else res.destroy();
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('SIGTERM', () => process.exit(0));
