/**
 * The protocol-agnostic fake upstream server: a real node:http server on 127.0.0.1 (random
 * port) that records requests, plays scripted behaviors on the chat route, counts client
 * aborts, can refuse connections and come back on the same port, and never leaves a socket or
 * timer behind after `close()`. What goes on the wire comes from a `FakeProtocol`.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Behavior } from './behavior';
import { Exchange } from './exchange';
import { play } from './play';
import { playEmbedding, type EmbeddingOptions } from './fake-embeddings';
import type { FakeProtocol, FakeProtocolName, JsonObject } from './protocol';

const HOST = '127.0.0.1';
const JSON_TYPE = 'application/json';
const DEFAULT_BEHAVIOR: Behavior = { kind: 'answer' };
const DEFAULT_WAIT_MS = 5000;

export interface FakeUpstreamOptions {
  /** Appears in default answers (`Hello from <name>`) and error messages. Defaults to the protocol's name. */
  readonly name?: string;
  /** Keep `requests` (default true). The benchmark turns it off. */
  readonly record?: boolean;
  /** Oldest recorded requests are dropped beyond this many (default 1000). */
  readonly maxRecorded?: number;
  /** Model names listed by the model-list routes (`/v1/models`, `/api/tags`). Default `['fake-model']`. */
  readonly models?: readonly string[];
  /** Embeddings routes: ignore the request's `dimensions` (a model without Matryoshka support). */
  readonly embeddings?: EmbeddingOptions;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  readonly body: unknown;
  /** The body's text as it arrived ('' when empty). */
  readonly text: string;
  /** `Date.now()` when the whole request body had arrived (millisecond resolution: ties are common). */
  readonly receivedAt: number;
  /**
   * Arrival order across every fake in this process (1, 2, 3, ...): compare `seq`, not
   * `receivedAt`, to tell which upstream a gateway called first.
   */
  readonly seq: number;
}

/** Shared by all fakes, so requests to different upstreams can be ordered. */
let arrivals = 0;

interface Waiter {
  readonly done: () => boolean;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class FakeUpstream {
  /** Recorded requests to every route, oldest first (capped; empty when `record: false`). */
  readonly requests: RecordedRequest[] = [];
  readonly name: string;
  private readonly server: Server;
  private readonly record: boolean;
  private readonly maxRecorded: number;
  private readonly embeddingOptions: EmbeddingOptions;
  private readonly sockets = new Set<Socket>();
  private readonly exchanges = new Set<Exchange>();
  private readonly waiters = new Set<Waiter>();
  private queue: Behavior[] = [];
  private fallback: Behavior = DEFAULT_BEHAVIOR;
  private hitCount = 0;
  private abortedCount = 0;
  private connectionCount = 0;
  private boundPort = 0;
  private listening = false;
  private closed = false;

  private constructor(
    private readonly protocol: FakeProtocol,
    options: FakeUpstreamOptions,
  ) {
    this.name = options.name ?? protocol.name;
    this.record = options.record ?? true;
    this.maxRecorded = options.maxRecorded ?? 1000;
    this.embeddingOptions = options.embeddings ?? {};
    this.server = createServer((req, res) => this.receive(req, res));
    this.server.on('connection', (socket) => {
      this.connectionCount += 1;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts a fake speaking `protocol`; resolves once it listens. */
  static async start(protocol: FakeProtocol, options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
    const fake = new FakeUpstream(protocol, options);
    await fake.listen(0);
    return fake;
  }

  get protocolName(): FakeProtocolName {
    return this.protocol.name;
  }

  get port(): number {
    return this.boundPort;
  }

  /** The origin, `http://127.0.0.1:PORT`. */
  get url(): string {
    return `http://${HOST}:${this.boundPort}`;
  }

  /** What a gateway config's `api_base` should be: `…/v1` for OpenAI, the origin for Anthropic and Ollama. */
  get baseUrl(): string {
    return this.url + this.protocol.basePath;
  }

  /** Requests to the model routes, chat and embeddings (whatever their outcome), since start or `reset()`. */
  get hits(): number {
    return this.hitCount;
  }

  /** TCP connections accepted since start (not reset): tells a reused pooled connection from a new one. */
  get connectionsAccepted(): number {
    return this.connectionCount;
  }

  /** Responses the client walked away from before the fake finished them. */
  get aborted(): number {
    return this.abortedCount;
  }

  /** Responses still being written (stalls, delays, slow streams). */
  get inFlight(): number {
    return this.exchanges.size;
  }

  /** What chat requests get once the queue is empty (initially a plain `answer`). */
  setDefault(behavior: Behavior): this {
    this.fallback = behavior;
    return this;
  }

  /** Behaviors for the next chat requests, one each, before the default applies again. */
  enqueue(...behaviors: Behavior[]): this {
    this.queue.push(...behaviors);
    return this;
  }

  /** Back to a fresh script and counters (the listening state is left as it is). */
  reset(): void {
    this.queue = [];
    this.fallback = DEFAULT_BEHAVIOR;
    this.requests.length = 0;
    this.hitCount = 0;
    this.abortedCount = 0;
  }

  /**
   * Goes down: stops listening and drops every open connection (idle keep-alive ones too, or
   * a pooled client would keep talking to a "down" server), so new connections get
   * ECONNREFUSED. The port stays reserved for `accept()` by nobody but chance.
   */
  async refuse(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.dropConnections();
    await stopped;
  }

  /** Listens again on the same port after `refuse()`. */
  async accept(): Promise<void> {
    if (this.closed) throw new Error(`fake ${this.name} is closed`);
    if (this.listening) return;
    await this.listen(this.boundPort);
  }

  /** Stops for good: drops every connection, cancels waits. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`fake ${this.name} closed while waiting`));
    }
    this.waiters.clear();
    await this.refuse();
    this.dropConnections();
  }

  /** Resolves once `hits >= count`; rejects after `timeoutMs`. */
  waitForHits(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.waitFor(() => this.hitCount >= count, timeoutMs, () => `${count} hits (have ${this.hitCount})`);
  }

  /** Resolves once `aborted >= count`; rejects after `timeoutMs`. */
  waitForAborted(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.waitFor(() => this.abortedCount >= count, timeoutMs, () => `${count} aborted responses (have ${this.abortedCount})`);
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, HOST, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        if (address && typeof address === 'object') this.boundPort = address.port;
        this.listening = true;
        resolve();
      });
    });
  }

  /** Every in-flight response is marked as ended by the fake first, so none counts as an abort. */
  private dropConnections(): void {
    for (const exchange of this.exchanges) exchange.endedByFake = true;
    for (const socket of this.sockets) socket.destroy();
  }

  private waitFor(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    if (done()) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error(`fake ${this.name} is closed`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        done,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`fake ${this.name}: timed out after ${timeoutMs} ms waiting for ${describe()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  private notify(): void {
    for (const waiter of this.waiters) {
      if (!waiter.done()) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const exchange = new Exchange(res);
    this.exchanges.add(exchange);
    res.once('close', () => {
      this.exchanges.delete(exchange);
      exchange.closed();
      if (!res.writableEnded && !exchange.endedByFake) {
        this.abortedCount++;
        this.notify();
      }
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A client that leaves mid-body shows up as the response's `close` above; nothing to do here.
    req.on('error', () => undefined);
    req.on('end', () => this.respond(req, exchange, chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8')));
  }

  private respond(req: IncomingMessage, exchange: Exchange, raw: string): void {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const route = this.protocol.route(method, query === -1 ? url : url.slice(0, query));
    const body = parseBody(raw);
    const seq = ++arrivals;
    if (this.record) {
      this.requests.push({ method, path: url, headers: req.headers, body, text: raw, receivedAt: Date.now(), seq });
      if (this.requests.length > this.maxRecorded) this.requests.shift();
    }
    if (route.kind === 'not-found') return exchange.send(404, JSON_TYPE, this.protocol.notFoundBody(method, url));
    if (route.kind === 'static') return exchange.send(route.answer.status, JSON_TYPE, route.answer.body);

    this.hitCount++;
    this.notify();
    if (!isJsonObject(body)) return this.sendError(exchange, 400, this.protocol.badJsonMessage(raw));
    const rejection = this.protocol.reject(req.headers);
    if (rejection) return this.sendError(exchange, rejection.status, rejection.message);
    // Protocol-level rejections above do not consume the script: only accepted requests do.
    const behavior = this.queue.shift() ?? this.fallback;
    const embeddings = this.protocol.embeddings;
    const played =
      route.kind === 'embed' && embeddings
        ? playEmbedding(exchange, this.protocol, embeddings, body, behavior, this.name, this.embeddingOptions)
        : play({ exchange, protocol: this.protocol, request: body, name: this.name }, behavior);
    played.catch((error: unknown) => {
      // A script the renderer cannot honour (e.g. tool arguments that are not JSON) is a test bug: say so loudly.
      const message = `fake ${this.name} could not play ${behavior.kind}: ${error instanceof Error ? error.message : String(error)}`;
      if (exchange.headersSent) exchange.cut();
      else this.sendError(exchange, 500, message);
    });
  }

  private sendError(exchange: Exchange, status: number, message: string): void {
    exchange.send(status, JSON_TYPE, this.protocol.errorBody(status, message));
  }
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
