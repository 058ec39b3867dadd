/**
 * A fake monitored service for the status app's tests and benchmark: a real HTTP server on
 * 127.0.0.1 whose health is switched at run time — up, down (an HTTP error), slow, hanging
 * (headers never come), flapping (up and down on alternate requests), endless (200, then a body
 * that never ends, to prove a reader stops) or stopped (connection refused, then back on the
 * same port). Every answer is counted. Bodies are sent as given, NUL bytes included.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type TargetMode =
  | { kind: 'up'; body?: string; contentType?: string }
  | { kind: 'down'; status?: number; body?: string }
  | { kind: 'slow'; delayMs: number; body?: string }
  | { kind: 'hang' }
  | { kind: 'flap' }
  | { kind: 'endless' };

const OK_BODY = '{"status":"ok"}';

export class FakeTarget {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private mode: TargetMode = { kind: 'up' };
  private boundPort = 0;
  private flapCount = 0;
  /** Requests received, whatever the answer. */
  hits = 0;
  /** Requests received and not answered yet, and the most there ever were at once. */
  pending = 0;
  maxPending = 0;
  /** Body bytes written by `endless` answers (what a reader made it send before stopping). */
  endlessBytes = 0;
  /** The last request's headers. */
  lastHeaders: IncomingMessage['headers'] = {};
  /** Overrides the answer per path (e.g. `/health/upstreams` of a fake gateway). */
  readonly routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();

  private constructor() {
    this.server = createServer((req, res) => this.answer(req, res));
    this.server.keepAliveTimeout = 65_000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static async start(mode: TargetMode = { kind: 'up' }): Promise<FakeTarget> {
    const target = new FakeTarget();
    target.mode = mode;
    await target.listen(0);
    return target;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  set(mode: TargetMode): void {
    this.mode = mode;
  }

  /** Stops listening and drops open connections: checks see connection refused. */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Listens again on the same port. */
  async resume(): Promise<void> {
    if (!this.server.listening) await this.listen(this.boundPort);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.stop();
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.boundPort = (this.server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    this.hits++;
    this.pending++;
    this.maxPending = Math.max(this.maxPending, this.pending);
    let settled = false;
    const settle = () => {
      if (!settled) this.pending--;
      settled = true;
    };
    res.once('finish', settle);
    res.once('close', settle);
    this.lastHeaders = req.headers;
    req.resume();
    const route = this.routes.get((req.url ?? '/').split('?')[0]);
    if (route) return route(req, res);
    const mode = this.mode;
    switch (mode.kind) {
      case 'up':
        return send(res, 200, mode.body ?? OK_BODY, mode.contentType);
      case 'down':
        return send(res, mode.status ?? 503, mode.body ?? '{"status":"down"}');
      case 'slow': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!res.destroyed) send(res, 200, mode.body ?? OK_BODY);
        }, mode.delayMs);
        this.timers.add(timer);
        return;
      }
      case 'hang':
        return; // never answers; the socket is destroyed on stop()/close()
      case 'flap':
        return this.flapCount++ % 2 === 0 ? send(res, 200, OK_BODY) : send(res, 503, '{"status":"down"}');
      case 'endless':
        return this.sendEndless(res);
    }
  }

  /** Writes 16 KiB chunks as fast as the reader takes them, until it goes away. */
  private sendEndless(res: ServerResponse): void {
    const chunk = Buffer.alloc(16_384, 'a');
    res.writeHead(200, { 'content-type': 'text/plain' });
    const pump = () => {
      while (!res.destroyed) {
        this.endlessBytes += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
  }
}

function send(res: ServerResponse, status: number, body: string, contentType = 'application/json'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
