/**
 * One request to a model endpoint and its answer, as the model routes see them: the parsed
 * body, the headers, and the slots the admission step and the usage hook share; and an answer
 * whose headers are collected until one `writeHead`. Served straight on Node's request and
 * response (`model-endpoints.ts`) — no framework object per request.
 */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { AbortLink } from '../completions/abort-link';
import type { ServedCompletion } from '../completions/completion-pipeline';
import type { Admission } from '../limits/rate-limiter';
import type { Principal } from './api-auth';
import { OVERHEAD_HEADER, takeOverhead, type UpstreamWait } from './overhead';

export class ModelRequest {
  /** The parsed JSON body (undefined for a request without one). */
  body: unknown = undefined;
  /** The JSON text `body` was parsed from. */
  bodyText: string | undefined = undefined;
  /** The route's path parameters (`/v1/responses/{id}` → `{ id }`). */
  params: Readonly<Record<string, string>> = NO_PARAMS;
  /** Set by a model endpoint before it walks its deployments (null elsewhere). */
  upstreamWait: UpstreamWait | null = null;
  /** The overhead reported with the answer, for the metrics (-1 until the headers left). */
  overheadMs = -1;
  /** Who called and what was served, for the usage hook (null until known). */
  chatCaller: Principal | null = null;
  chatServed: ServedCompletion | null = null;
  /** An API key's or SSO user's admission by the rate limiter (its key, window and reserved tokens). */
  chatAdmission: Admission | null = null;
  private parsedQuery: Readonly<Record<string, string>> | undefined;

  constructor(
    readonly raw: IncomingMessage,
    readonly id: string,
    /** The path the route was found by (no query string). */
    readonly path: string,
    /** The query string without its `?` ('' when there is none). */
    private readonly search: string,
    /** `performance.now()` when the request arrived. */
    readonly startedAt: number,
  ) {}

  get headers(): IncomingHttpHeaders {
    return this.raw.headers;
  }

  get method(): string {
    return this.raw.method ?? 'GET';
  }

  /** The query parameters (the first of a repeated name), parsed when first asked for. */
  get query(): Readonly<Record<string, string>> {
    if (this.parsedQuery === undefined) {
      const query: Record<string, string> = Object.create(null);
      if (this.search !== '') for (const [name, value] of new URLSearchParams(this.search)) if (!(name in query)) query[name] = value;
      this.parsedQuery = query;
    }
    return this.parsedQuery;
  }
}

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

export class ModelReply {
  /** Header names (lower case) and values, in pairs, until they are written. */
  private readonly pending: string[] = [];
  private gone: AbortLink | undefined;

  constructor(
    readonly raw: ServerResponse,
    readonly request: ModelRequest,
  ) {}

  /** The status written, or to be written by `send`. */
  get statusCode(): number {
    return this.raw.statusCode;
  }

  /** True once the status line and headers are out. */
  get sent(): boolean {
    return this.raw.headersSent;
  }

  /** Milliseconds (fractional) since the request arrived. */
  get elapsedTime(): number {
    return performance.now() - this.request.startedAt;
  }

  /** Aborts when the client's connection closes before the answer was fully written. */
  clientGone(): AbortLink {
    return (this.gone ??= new AbortLink());
  }

  /**
   * The response closed (`ModelEndpoints` listens once per request for everyone: a listener per
   * interested party cost measurably in bench/).
   */
  closed(): void {
    if (this.gone !== undefined && !this.raw.writableFinished) this.gone.abort();
  }

  code(status: number): this {
    this.raw.statusCode = status;
    return this;
  }

  /** Sets a header for the answer, replacing one of the same name. `name` must be lower case. */
  header(name: string, value: string): this {
    const pending = this.pending;
    for (let i = 0; i < pending.length; i += 2) {
      if (pending[i] === name) {
        pending[i + 1] = value;
        return this;
      }
    }
    pending.push(name, value);
    return this;
  }

  headers(values: Readonly<Record<string, string>>): this {
    for (const name in values) this.header(name.toLowerCase(), values[name]);
    return this;
  }

  /** The value set for a header (`name` in lower case). */
  getHeader(name: string): string | undefined {
    const pending = this.pending;
    for (let i = 0; i < pending.length; i += 2) if (pending[i] === name) return pending[i + 1];
    return undefined;
  }

  /**
   * Writes the status line with `headers` (name/value pairs, consumed), the ones set on the
   * reply, and `x-rainymodel-overhead-ms`; the body is then the caller's to write.
   */
  writeHead(status: number, headers: OutgoingHttpHeader[] = []): ServerResponse {
    const pending = this.pending;
    for (let i = 0; i < pending.length; i++) headers.push(pending[i]);
    headers.push(OVERHEAD_HEADER, takeOverhead(this.request, this.elapsedTime));
    return this.raw.writeHead(status, headers);
  }

  /** Answers with a JSON body: a string as is, anything else serialised. */
  send(payload: unknown): void {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const headers: OutgoingHttpHeader[] = [];
    if (this.getHeader('content-type') === undefined) headers.push('content-type', 'application/json; charset=utf-8');
    headers.push('content-length', String(Buffer.byteLength(body)));
    this.writeHead(this.raw.statusCode, headers).end(body);
  }
}
