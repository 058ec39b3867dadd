/**
 * A fake knowledge agent (seed 004, docs/knowledge-agent.md) on 127.0.0.1: `POST /search` with
 * `{"query","top_k"}` answers `{"results":[…]}` from a list set at run time, and records every
 * query and connection. Faults on demand: hold the answer (`delayMs`, or `hang` never to answer),
 * answer an error status, or send a malformed or oversized body. Held answers are released on
 * close, so a test never leaks a timer or a socket.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface FakePassage {
  readonly document: string;
  readonly page?: number | string;
  readonly score: number;
  readonly text: string;
}

export interface KnowledgeQuery {
  readonly query: unknown;
  readonly top_k: unknown;
}

export type FakeKnowledgeFault =
  | { readonly kind: 'none' }
  /** Answers after this many milliseconds. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Never answers (until closed). */
  | { readonly kind: 'hang' }
  | { readonly kind: 'status'; readonly status: number }
  /** Sends this body as it is, with a 200. */
  | { readonly kind: 'body'; readonly body: string };

export class FakeKnowledgeAgent {
  results: FakePassage[] = [];
  fault: FakeKnowledgeFault = { kind: 'none' };
  readonly queries: KnowledgeQuery[] = [];
  /** TCP connections opened to it: keep-alive reuse shows as fewer connections than queries. */
  connections = 0;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private port = 0;

  private constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (text += c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/search') {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
          return;
        }
        let body: Partial<KnowledgeQuery> = {};
        try {
          body = JSON.parse(text) as KnowledgeQuery;
        } catch {
          // recorded as empty
        }
        this.queries.push({ query: body.query, top_k: body.top_k });
        const fault = this.fault;
        const answer = (): void => {
          if (fault.kind === 'status') res.writeHead(fault.status, { 'content-type': 'application/json' }).end('{"detail":"agent failure"}');
          else if (fault.kind === 'body') res.writeHead(200, { 'content-type': 'application/json' }).end(fault.body);
          else {
            const limit = typeof body.top_k === 'number' ? body.top_k : this.results.length;
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results: this.results.slice(0, limit) }));
          }
        };
        if (fault.kind === 'hang') return;
        if (fault.kind === 'delay') {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            answer();
          }, fault.ms);
          this.timers.add(timer);
          return;
        }
        answer();
      });
    });
  }

  static async start(): Promise<FakeKnowledgeAgent> {
    const agent = new FakeKnowledgeAgent(createServer());
    await new Promise<void>((resolve) => agent.server.listen(0, '127.0.0.1', resolve));
    const address = agent.server.address();
    agent.port = typeof address === 'object' && address ? address.port : 0;
    return agent;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
