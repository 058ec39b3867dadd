/**
 * CORS for the gateway: every origin may call it (the client apps live on other subdomains).
 * One small onRequest hook instead of `app.enableCors()`: Nest's CORS hook runs @fastify/cors and
 * then copies its headers for every request, browser or not, and cost ~12 µs per request in the
 * benchmark. Here a request without an `Origin` header (every SDK, curl) costs one lookup.
 */
import type { FastifyInstance } from 'fastify';

const EXPOSED_HEADERS = [
  'x-request-id',
  'x-rainymodel-route',
  'x-rainymodel-upstream',
  'x-rainymodel-model',
  'x-rainymodel-latency-ms',
  'x-rainymodel-overhead-ms',
  'x-rainymodel-fallback-reason',
  'x-rainymodel-tried',
  'x-rainymodel-policy',
  'x-rainymodel-profile',
  'x-rainymodel-ranking',
  'x-rainymodel-complexity',
  'x-rainymodel-knowledge',
  'x-rainymodel-cache',
  'age',
  'x-rainymodel-dropped',
  'x-rainymodel-token-count',
  'x-rainymodel-skipped',
  'x-rainymodel-dimensions',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'retry-after',
].join(', ');
// DELETE: `DELETE /v1/responses/{id}` from a browser app.
const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS';
const DEFAULT_ALLOWED_HEADERS = 'authorization, content-type, x-api-key, anthropic-version, anthropic-beta, x-rainymodel-policy, x-rainymodel-profile, x-rainymodel-cache, x-request-id';

export function registerOpenCors(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    const origin = req.headers.origin;
    if (origin === undefined) return done();
    reply.header('access-control-allow-origin', origin).header('vary', 'Origin').header('access-control-expose-headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      const requested = req.headers['access-control-request-headers'];
      void reply
        .code(204)
        .header('access-control-allow-methods', ALLOWED_METHODS)
        .header('access-control-allow-headers', typeof requested === 'string' && requested !== '' ? requested : DEFAULT_ALLOWED_HEADERS)
        .header('access-control-max-age', '600')
        .send();
      return;
    }
    done();
  });
}
