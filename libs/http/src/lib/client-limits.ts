/**
 * Limits on what a client may hold of a server, for all three apps (issue 8 item 9):
 *
 * - `headersTimeoutMs`: the request line and headers must arrive within this time.
 * - `bodyTimeoutMs`: the whole request, headers and body, must arrive within this time from its
 *   first byte, however it is trickled: Node's `requestTimeout` counts from the start of the
 *   request, not from the last byte, so one byte every two seconds does not keep it alive.
 *   Only receiving is bounded: a response may stream for as long as it needs.
 * - `maxBodiesInFlight`: at most this many requests may be sending a body at once; past it a
 *   new request with a body is answered 503 with `Retry-After` and its connection closed, so
 *   slow senders cannot hold every socket and buffer of a replica.
 *
 * Node answers a request that ran out of time itself: a bare 408 and a closed connection.
 * Its checks run every `checkIntervalMs` (Node's default is 30 s, which would let a 60 s
 * limit stretch to 90 s).
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';

export interface ClientLimits {
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly maxBodiesInFlight: number;
  /** How long an idle keep-alive connection is kept between requests. */
  readonly keepAliveTimeoutMs: number;
  readonly checkIntervalMs: number;
}

export const DEFAULT_CLIENT_LIMITS: ClientLimits = {
  headersTimeoutMs: 20_000,
  bodyTimeoutMs: 60_000,
  maxBodiesInFlight: 512,
  keepAliveTimeoutMs: 65_000,
  checkIntervalMs: 1_000,
};

const OVERLOADED_BODY = JSON.stringify({
  error: { message: 'Too many requests are sending a body right now; retry shortly', type: 'server_overloaded', param: null, code: 'too_many_request_bodies' },
});

/**
 * A Fastify `serverFactory` creating a Node HTTP server that enforces `limits`. Pass it as
 * `serverFactory: boundedServerFactory(limits)` to Fastify (or Nest's FastifyAdapter).
 */
export function boundedServerFactory(overrides: Partial<ClientLimits> = {}): (handler: RequestListener) => Server {
  const limits = { ...DEFAULT_CLIENT_LIMITS, ...overrides };
  return (handler) => {
    let bodiesInFlight = 0;
    const server = createServer(
      {
        headersTimeout: Math.min(limits.headersTimeoutMs, limits.bodyTimeoutMs),
        requestTimeout: limits.bodyTimeoutMs,
        connectionsCheckingInterval: limits.checkIntervalMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
      },
      (req, res) => {
        if (!hasBody(req)) return handler(req, res);
        if (bodiesInFlight >= limits.maxBodiesInFlight) return refuseOverloaded(req, res);
        bodiesInFlight++;
        // A request closes once its body has been read (or dropped after the answer), and when
        // its client goes away mid-body: one listener covers both.
        req.once('close', () => bodiesInFlight--);
        handler(req, res);
      },
    );
    // Node caps headers at 16 KiB by default (--max-http-header-size); keep it.
    return server;
  };
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function refuseOverloaded(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1', connection: 'close', 'content-length': Buffer.byteLength(OVERLOADED_BODY) });
  // `connection: close`: Node closes the socket once the answer is out, without reading the body.
  res.end(OVERLOADED_BODY);
}
