/**
 * The one HTTP client every upstream call goes through: an undici Agent with keep-alive pools
 * per origin, driven through its low-level dispatch (upstream-exchange.ts). Timeouts are the caller's (an AbortSignal), so undici's own header/body timers
 * are off and cannot fire behind the gateway's back. `lookup`, when given, resolves the host of
 * every new connection (the gateway passes the upstream guard's, which refuses private DNS
 * answers); pooled connections are reused without a lookup, so `renewConnections()` starts a
 * fresh pool when the lookup's rules change (renewable-pool.ts).
 */
import type { LookupFunction } from 'node:net';
import type { UpstreamRequest, UpstreamTarget } from '../contract';
import { RenewablePool } from './renewable-pool';
import { exchange, type UpstreamResponse, type UpstreamSignal } from './upstream-exchange';

interface Endpoint {
  readonly origin: string;
  readonly path: string;
}

export interface UpstreamClientOptions {
  /** Resolves hosts for new connections (default: the system's `dns.lookup`). */
  readonly lookup?: LookupFunction;
}

export class UpstreamClient {
  private readonly pool: RenewablePool;

  constructor(options: UpstreamClientOptions = {}) {
    this.pool = new RenewablePool({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { timeout: 30_000, ...(options.lookup && { lookup: options.lookup }) },
    });
  }

  /** Origin and path per base URL and path, split once: undici's top-level `request()` parses a URL per call. */
  private readonly endpoints = new Map<string, Map<string, Endpoint>>();

  /** Settles once the response's headers are in (its body is read from the response); `signal` aborts the exchange at any point. */
  send(target: UpstreamTarget, upstreamRequest: UpstreamRequest, signal: UpstreamSignal): Promise<UpstreamResponse> {
    const { origin, path } = this.endpoint(target.baseUrl, upstreamRequest.path);
    return exchange(this.pool.agent, { origin, path, method: 'POST', headers: upstreamRequest.headers, body: upstreamRequest.body }, signal);
  }

  private endpoint(baseUrl: string, path: string): Endpoint {
    let paths = this.endpoints.get(baseUrl);
    if (paths === undefined) this.endpoints.set(baseUrl, (paths = new Map()));
    let endpoint = paths.get(path);
    if (endpoint === undefined) {
      const url = new URL(baseUrl + path);
      endpoint = { origin: url.origin, path: url.pathname + url.search };
      paths.set(path, endpoint);
    }
    return endpoint;
  }

  /** Later requests open new connections (each looked up); requests in flight finish on theirs. */
  renewConnections(): void {
    this.pool.renew();
  }

  /** Lets in-flight requests finish for up to `graceMs`, then cuts what is left. */
  close(graceMs = 2000): Promise<void> {
    return this.pool.close(graceMs);
  }
}
