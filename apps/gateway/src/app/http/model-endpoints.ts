/**
 * The model endpoints (chat completions and the other client protocols) are served straight on
 * Node's request and response, beside Nest's Fastify on the same server. In bench/ a framework
 * per request was the largest share of the gateway's own CPU: Nest's adapter added seven hooks
 * (shutdown 503, CORS, security, middleware matching, versioning, lifecycle), and Fastify on its
 * own still cost a quarter more than Node per request. What the model endpoints need of one is
 * small and here: exact routes (and `{id}` under a path, refused as Fastify's router refuses
 * one), the JSON body (size limit, content type, depth, prototype poisoning), request ids, CORS,
 * the overhead header, the one error mapping, and a hook once the answer is out.
 *
 * The server's handler sends the model paths here and everything else (info, metrics, health,
 * 404s) to Nest; a closing gateway sends everything to Nest, whose shutdown hook answers 503.
 * A client cannot tell which side answered: same headers, same error shapes.
 */
import { Logger, NotFoundException } from '@nestjs/common';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorCodes } from 'fastify';
import { FASTIFY_MAX_PARAM_LENGTH } from '@orcest/http';
import { clientExcerpt } from '@orcest/routing';
import type { ErrorShape } from '../completions/client-dialect';
import { RequestBodyError } from '../errors';
import { corsFor } from './cors';
import { parseJsonBody } from './json-body-parser';
import { ModelReply, ModelRequest } from './model-exchange';
import { sendModelError, type SetupHints } from './openai-exception.filter';
import { requestIdFor } from './request-id';

export interface ModelEndpointOptions {
  /** The largest request body taken, in bytes (RAINYMODEL_MAX_BODY_BYTES). */
  readonly bodyLimit: number;
  readonly maxJsonDepth: number;
  readonly setup: SetupHints;
}

export type ModelHandler = (req: ModelRequest, reply: ModelReply) => Promise<void>;
/** Runs once the answer is out or the client is gone (the usage hook, the debug log). */
export type AfterResponse = (req: ModelRequest, reply: ModelReply) => void;

export interface EndpointOptions {
  /** The shape of the endpoint's errors, when its clients expect another than OpenAI's. */
  readonly errorShape?: ErrorShape;
  readonly after?: AfterResponse;
}

interface Endpoint {
  readonly handler: ModelHandler;
  readonly errorShape: ErrorShape;
  readonly after: AfterResponse | undefined;
  readonly takesBody: boolean;
}

type Methods = Map<string, Endpoint>;

const ID_SEGMENT = '/:id';
const logger = new Logger('ModelEndpoints');

export class ModelEndpoints {
  /** Path → method → endpoint. */
  private readonly exact = new Map<string, Methods>();
  /** `prefix/` → method → endpoint, for the routes declared as `prefix/:id`. */
  private readonly withId = new Map<string, Methods>();
  private readonly afterEvery: AfterResponse[] = [];
  private readonly notFound = new NotFoundException();
  private closing = false;

  constructor(private readonly options: ModelEndpointOptions) {}

  /** Serves `method path` (a path may end with `/:id`: one segment, in `req.params.id`). */
  route(method: 'GET' | 'POST' | 'DELETE', path: string, handler: ModelHandler, options: EndpointOptions = {}): void {
    const byId = path.endsWith(ID_SEGMENT);
    const table = byId ? this.withId : this.exact;
    const key = byId ? path.slice(0, -ID_SEGMENT.length + 1) : path;
    const methods = table.get(key) ?? new Map<string, Endpoint>();
    if (methods.has(method)) throw new Error(`${method} ${path} is already served`);
    methods.set(method, { handler, errorShape: options.errorShape ?? 'openai', after: options.after, takesBody: method === 'POST' });
    table.set(key, methods);
  }

  /** Runs after every answer of the model endpoints (errors and 404s included). */
  onResponse(after: AfterResponse): void {
    this.afterEvery.push(after);
  }

  /** Nest's request handler wrapped: model paths come here unless the gateway is closing. */
  dispatch(nest: RequestListener): RequestListener {
    return (raw, res) => {
      const url = raw.url ?? '/';
      const query = url.indexOf('?');
      const path = query === -1 ? url : url.slice(0, query);
      let methods = this.exact.get(path);
      let id: string | undefined;
      if (methods === undefined && this.withId.size > 0) {
        const slash = path.lastIndexOf('/');
        methods = this.withId.get(path.slice(0, slash + 1));
        if (methods !== undefined) id = path.slice(slash + 1);
      }
      if (methods === undefined || this.closing) return nest(raw, res);
      this.serve(raw, res, path, query === -1 ? '' : url.slice(query + 1), methods, id);
    };
  }

  /** From now on every request goes to Nest's side, which answers 503 while shutting down. */
  stopAccepting(): void {
    this.closing = true;
  }

  private serve(raw: IncomingMessage, res: ServerResponse, path: string, search: string, methods: Methods, id: string | undefined): void {
    const req = new ModelRequest(raw, requestIdFor(raw), path, search, performance.now());
    const reply = new ModelReply(res, req);
    reply.header('x-request-id', req.id);
    const endpoint = methods.get(raw.method ?? 'GET');
    res.once('close', () => this.closed(endpoint, req, reply));
    const origin = raw.headers.origin;
    if (origin !== undefined) {
      const cors = corsFor(origin, raw.method, raw.headers);
      for (let i = 0; i < cors.headers.length; i += 2) reply.header(cors.headers[i], cors.headers[i + 1]);
      if (cors.preflight) {
        raw.resume();
        reply.writeHead(204).end();
        return;
      }
    }
    if (endpoint === undefined) {
      raw.resume();
      this.fail(reply, this.notFound, 'openai');
      return;
    }
    if (id !== undefined) {
      const decoded = id === '' ? this.notFound : decodeId(id, path);
      if (typeof decoded !== 'string') {
        raw.resume();
        this.fail(reply, decoded, endpoint.errorShape);
        return;
      }
      req.params = { id: decoded };
    }
    if (!endpoint.takesBody) {
      raw.resume();
      this.run(endpoint, req, reply);
      return;
    }
    const problem = bodyProblem(raw, this.options.bodyLimit);
    if (problem !== undefined) {
      this.refuseBody(reply, problem, endpoint.errorShape);
      return;
    }
    if (raw.headers['content-type'] === undefined) {
      // No body and no type: the handler validates what it got (nothing).
      this.run(endpoint, req, reply);
      return;
    }
    readBody(raw, this.options.bodyLimit).then(
      (text) => {
        try {
          req.body = parseJsonBody(text, this.options.maxJsonDepth);
          req.bodyText = text;
        } catch (error) {
          this.fail(reply, error, endpoint.errorShape);
          return;
        }
        this.run(endpoint, req, reply);
      },
      (error: RequestBodyError) => this.refuseBody(reply, error, endpoint.errorShape),
    );
  }

  private run(endpoint: Endpoint, req: ModelRequest, reply: ModelReply): void {
    let answered: Promise<void>;
    try {
      answered = endpoint.handler(req, reply);
    } catch (error) {
      // A handler may refuse before its first await (admission is synchronous when it can be).
      this.fail(reply, error, endpoint.errorShape);
      return;
    }
    answered.then(
      () => {
        // Every handler answers; one that did not is a bug, and the client must not hang on it.
        if (!reply.raw.headersSent && !reply.raw.destroyed) this.fail(reply, new Error(`${req.method} ${req.path} finished without an answer`), endpoint.errorShape);
      },
      (error: unknown) => this.fail(reply, error, endpoint.errorShape),
    );
  }

  /** Answers with the error; never throws (it runs in promise callbacks, where a throw would be an unhandled rejection). */
  private fail(reply: ModelReply, error: unknown, shape: ErrorShape): void {
    try {
      sendModelError(reply, error, shape, this.options.setup);
    } catch (failure) {
      logger.error(`could not answer ${reply.request.method} ${reply.request.path} with its error: ${(failure as Error)?.stack ?? String(failure)}`);
      reply.raw.destroy();
    }
  }

  /** The body will not be read: answered, and the connection closed once the answer is out (no reading the rest). */
  private refuseBody(reply: ModelReply, problem: RequestBodyError, shape: ErrorShape): void {
    reply.header('connection', 'close');
    this.fail(reply, problem, shape);
  }

  private closed(endpoint: Endpoint | undefined, req: ModelRequest, reply: ModelReply): void {
    reply.closed();
    try {
      endpoint?.after?.(req, reply);
      for (const after of this.afterEvery) after(req, reply);
    } catch (error) {
      // Accounting must never take the process down; the answer is already out.
      logger.error(`after-response hook failed for ${req.method} ${req.path}: ${(error as Error)?.stack ?? String(error)}`);
    }
  }
}

/** Why a POST's body cannot be read at all, from its headers alone (undefined: read it). */
function bodyProblem(raw: IncomingMessage, limit: number): RequestBodyError | undefined {
  const headers = raw.headers;
  const length = headers['content-length'];
  if (length !== undefined && Number(length) > limit) return new RequestBodyError('too_large', 'Request body is too large.');
  const type = headers['content-type'];
  if (type === undefined) {
    const hasBody = headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    return hasBody ? new RequestBodyError('unsupported_media_type', 'A body without a content type') : undefined;
  }
  if (isMediaType(type, 'application/json')) return undefined;
  // Text is a 400 as it always was here (a client that meant JSON and forgot the type gets told);
  // any other type is one the endpoint does not take at all.
  if (isMediaType(type, 'text/plain')) return new RequestBodyError('invalid_json', 'the body was sent as text/plain: send JSON, as application/json');
  return new RequestBodyError('unsupported_media_type', `Unsupported content type: ${clientExcerpt(type)}`);
}

/** Whether a content type is `media` (lower case), with or without parameters, in any case. */
function isMediaType(type: string, media: string): boolean {
  if (type === media) return true;
  const semicolon = type.indexOf(';');
  return (semicolon === -1 ? type : type.slice(0, semicolon)).trim().toLowerCase() === media;
}

/**
 * The whole body as text; rejects only with a RequestBodyError, past `limit` bytes. Two listeners, never
 * removed (a request's listeners go with it): a client that leaves mid-body leaves the promise
 * unsettled, and nothing is waiting on it then — its connection, and with it the request, is
 * gone (a trickling one is cut by the server's request timeout).
 */
function readBody(raw: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let more: Buffer[] | undefined;
    let received = 0;
    raw.on('data', (chunk: Buffer) => {
      if (received > limit) return;
      received += chunk.length;
      if (received > limit) reject(new RequestBodyError('too_large', 'Request body is too large.'));
      else if (first === undefined) first = chunk;
      else (more ??= [first]).push(chunk);
    });
    raw.on('end', () => {
      if (received > limit) return;
      const body = more !== undefined ? Buffer.concat(more, received) : first;
      resolve(body === undefined ? '' : body.toString('utf8'));
    });
  });
}

/**
 * The `{id}` segment decoded, or the refusal Fastify's router gives the same segment on Nest's
 * side (`@orcest/http` words both): broken percent-encoding, or longer than its `maxParamLength`.
 */
function decodeId(id: string, path: string): string | Error {
  if (id.length > FASTIFY_MAX_PARAM_LENGTH) return new errorCodes.FST_ERR_MAX_PARAM_LENGTH(path);
  if (!id.includes('%')) return id;
  try {
    return decodeURIComponent(id);
  } catch {
    return new errorCodes.FST_ERR_BAD_URL(path);
  }
}
