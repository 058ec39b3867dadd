/**
 * The model endpoints (chat completions and the other client protocols) run on a Fastify
 * instance of their own, beside Nest's, on the same server. Nest's Fastify adapter adds seven
 * hooks to every request (shutdown 503, CORS, security, middleware matching, versioning,
 * lifecycle) that the model endpoints never use, and in bench/ they cost more CPU per request
 * than Fastify itself. The server's handler sends the model paths here and everything else
 * (info, metrics, health, 404s) to Nest; a closing gateway sends everything to Nest, whose
 * shutdown hook answers 503.
 *
 * The instance has the same options, body parser, CORS, request ids, overhead header and error
 * mapping as Nest's side, so a client cannot tell which side answered.
 */
import { NotFoundException } from '@nestjs/common';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { UpstreamSetup } from '../setup/upstream-setup';
import { registerOpenCors } from './cors';
import { registerJsonBodyParser } from './json-body-parser';
import { sendError } from './openai-exception.filter';
import { registerOverheadHeader } from './overhead';

export interface ModelEndpointOptions {
  readonly fastify: Pick<FastifyServerOptions, 'bodyLimit' | 'trustProxy' | 'genReqId'>;
  readonly maxJsonDepth: number;
  readonly setup: Pick<UpstreamSetup, 'hintFor'>;
}

export class ModelEndpoints {
  readonly fastify: FastifyInstance;
  /** Paths answered here (any method: a wrong one gets the same 404 as on Nest's side). */
  private readonly paths = new Set<string>();
  /** Path prefixes answered here, each ending with `/` (e.g. stored responses by id). */
  private readonly prefixes: string[] = [];
  private closing = false;

  constructor(options: ModelEndpointOptions) {
    this.fastify = Fastify({ ...options.fastify, logger: false });
    registerOpenCors(this.fastify);
    registerJsonBodyParser(this.fastify, options.maxJsonDepth);
    registerOverheadHeader(this.fastify);
    this.fastify.addHook('onRequest', (req, reply, done) => {
      reply.header('x-request-id', req.id);
      done();
    });
    this.fastify.setErrorHandler((error, _req, reply) => sendError(reply, error, options.setup));
    this.fastify.setNotFoundHandler((_req, reply) => sendError(reply, new NotFoundException(), options.setup));
  }

  /** Claims a path (and with `subpaths`, everything under `path/`) for this instance. */
  claim(path: string, subpaths = false): void {
    this.paths.add(path);
    if (subpaths) this.prefixes.push(`${path}/`);
  }

  /** Nest's request handler wrapped: model paths come here unless the gateway is closing. */
  dispatch(nest: RequestListener): RequestListener {
    const routing = this.fastify.routing as (req: IncomingMessage, res: ServerResponse) => void;
    return (req, res) => {
      if (!this.closing && this.owns(req.url ?? '/')) routing(req, res);
      else nest(req, res);
    };
  }

  /** From now on every request goes to Nest's side, which answers 503 while shutting down. */
  stopAccepting(): void {
    this.closing = true;
  }

  close(): Promise<void> {
    this.closing = true;
    return this.fastify.close();
  }

  private owns(url: string): boolean {
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (this.paths.has(path)) return true;
    for (const prefix of this.prefixes) if (path.startsWith(prefix)) return true;
    return false;
  }
}
