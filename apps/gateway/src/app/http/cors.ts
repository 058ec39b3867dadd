/**
 * CORS for the gateway: every origin may call it (the client apps live on other subdomains).
 * A request without an `Origin` header (every SDK, curl) costs one lookup. Used by Nest's side
 * (one small onRequest hook instead of `app.enableCors()`: Nest's CORS hook runs @fastify/cors
 * and copies its headers for every request, browser or not, ~12 µs per request in bench/) and
 * by the model endpoints (`model-endpoints.ts`).
 */
import type { IncomingHttpHeaders } from 'node:http';
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

export interface CorsAnswer {
  /** Header names and values, in pairs, for the answer. */
  readonly headers: string[];
  /** A preflight: answer 204 with `headers` and nothing else. */
  readonly preflight: boolean;
}

/** What a request from `origin` gets. */
export function corsFor(origin: string, method: string | undefined, headers: IncomingHttpHeaders): CorsAnswer {
  const answer = ['access-control-allow-origin', origin, 'vary', 'Origin', 'access-control-expose-headers', EXPOSED_HEADERS];
  if (method !== 'OPTIONS' || headers['access-control-request-method'] === undefined) return { headers: answer, preflight: false };
  const requested = headers['access-control-request-headers'];
  const allowed = typeof requested === 'string' && requested !== '' ? requested : DEFAULT_ALLOWED_HEADERS;
  answer.push('access-control-allow-methods', ALLOWED_METHODS, 'access-control-allow-headers', allowed, 'access-control-max-age', '600');
  return { headers: answer, preflight: true };
}

export function registerOpenCors(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    const origin = req.headers.origin;
    if (origin === undefined) return done();
    const cors = corsFor(origin, req.method, req.headers);
    for (let i = 0; i < cors.headers.length; i += 2) reply.header(cors.headers[i], cors.headers[i + 1]);
    if (!cors.preflight) return done();
    void reply.code(204).send();
  });
}
