/**
 * POST /v1/chat/completions, end to end: validate, resolve the alias, order its deployments by
 * policy, walk them with fallback, then answer (whole JSON, or a committed SSE stream).
 */
import type { RouterSettings } from '@orcest/config';
import type { ChatRequest, UpstreamClient, Usage, WireStream } from '@orcest/providers';
import { parsePolicy, type Policy } from '@orcest/routing';
import type { OutgoingHttpHeader, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deployment } from '../deployments/deployment';
import type { DeploymentRegistry } from '../deployments/deployment-registry';
import { ModelNotFoundError, NoDeploymentError, type AttemptRecord } from '../errors';
import { AbortLink } from './abort-link';
import { validateChatRequest } from './chat-request-validator';
import type { FallbackWalk } from './fallback-walk';
import { routeHeaders } from './route-headers';
import { writeStream } from './sse-writer';
import { UpstreamCall } from './upstream-call';

/**
 * What a served request did, for its usage record. Handed to the observer before the answer
 * goes out (a response's `finish` can come before `handle` returns); `usage` and
 * `streamFailure` are final once the response has finished.
 */
export interface ServedCompletion {
  readonly alias: string;
  readonly policy: string;
  readonly stream: boolean;
  readonly deployment: Deployment;
  readonly failed: readonly AttemptRecord[];
  readonly usage: Usage | undefined;
  /** A stream that failed after it began (the answer was 200, but incomplete). */
  readonly streamFailure: string | undefined;
}

/** Told what was served, with the request it was for (a plain function: no closure per request). */
/** A stream's record: its usage is read from the wire stream when asked (it is final once the answer ended). */
class StreamServed implements ServedCompletion {
  readonly stream = true;
  streamFailure: string | undefined = undefined;

  constructor(
    readonly alias: string,
    readonly policy: string,
    readonly deployment: Deployment,
    readonly failed: readonly AttemptRecord[],
    private readonly wire: WireStream,
  ) {}

  get usage(): Usage | undefined {
    return this.wire.usage;
  }
}

export type ServedObserver = (req: FastifyRequest, served: ServedCompletion) => void;

export class ChatCompletionsService {
  constructor(
    private readonly registry: DeploymentRegistry,
    private readonly walk: FallbackWalk,
    private readonly client: UpstreamClient,
    private readonly router: RouterSettings,
  ) {}

  async handle(req: FastifyRequest, reply: FastifyReply, observe?: ServedObserver): Promise<void> {
    const startedAt = Date.now();
    const request = validateChatRequest(req.body);
    const policy = parsePolicy(headerValue(req.headers['x-rainymodel-policy']));
    const deployments = this.deploymentsFor(request.model, policy);
    const clientSignal = clientGone(reply);
    const walkRequest = { alias: request.model, deployments, startedAt, clientSignal };

    if (request.stream === true) {
      const result = await this.walk.run({ ...walkRequest, timeoutOf: (d) => d.streamTimeoutMs }, async (d, budget, attempt) => {
        const opened = await this.call(d, request, clientSignal).openStream(budget);
        attempt.firstToken();
        return opened;
      });
      const { attempt } = result;
      try {
        const served = observe ? new StreamServed(request.model, policy, result.deployment, result.failed, result.value.stream) : undefined;
        if (served) observe?.(req, served);
        const res = commit(reply, routeHeaders(result.deployment, result.failed, Date.now() - startedAt), policy, STREAM_HEADERS);
        const outcome = await writeStream(res, result.value, this.router.streamIdleTimeoutMs);
        if (served) served.streamFailure = outcome.failure?.reason;
        // The one verdict of this attempt: complete, failed (before or after the first byte), or no verdict (the client left).
        if (outcome.failure) attempt.fail(outcome.failure);
        else if (!outcome.clientClosed) attempt.succeed();
      } finally {
        attempt.release();
      }
      return;
    }

    const result = await this.walk.run({ ...walkRequest, timeoutOf: (d) => d.timeoutMs }, (d, budget) => this.call(d, request, clientSignal).complete(budget));
    // The whole answer is in hand: nothing can still fail on the upstream's side.
    result.attempt.succeed();
    const { json, usage } = result.value;
    const headers = routeHeaders(result.deployment, result.failed, Date.now() - startedAt);
    headers.push('content-length', String(Buffer.byteLength(json)));
    observe?.(req, { alias: request.model, policy, stream: false, deployment: result.deployment, failed: result.failed, usage, streamFailure: undefined });
    commit(reply, headers, policy, JSON_HEADERS).end(json);
  }

  private deploymentsFor(alias: string, policy: Policy): readonly Deployment[] {
    if (!this.registry.has(alias)) throw new ModelNotFoundError(alias, this.registry.aliases);
    const configured = this.registry.forAlias(alias);
    if (configured.length === 0) {
      throw new NoDeploymentError(`No deployment of ${alias} is configured: every one was skipped at start (missing API keys?)`);
    }
    const ordered = this.registry.ordered(alias, policy);
    if (ordered.length === 0) throw new NoDeploymentError(`No deployment of ${alias} is allowed by policy "${policy}"`);
    return ordered;
  }

  private call(deployment: Deployment, request: ChatRequest, clientSignal: AbortLink): UpstreamCall {
    return new UpstreamCall(this.client, deployment, request, clientSignal);
  }
}

const JSON_HEADERS: readonly string[] = ['content-type', 'application/json; charset=utf-8'];
const STREAM_HEADERS: readonly string[] = ['content-type', 'text/event-stream; charset=utf-8', 'cache-control', 'no-cache', 'x-accel-buffering', 'no'];

/**
 * Writes a 200's status line and headers on the raw response. Fastify's reply is bypassed
 * (its send path cost a few µs per request in bench/); the headers its hooks set — x-request-id,
 * CORS — are carried over.
 */
function commit(reply: FastifyReply, headers: string[], policy: Policy, fixed: readonly string[]): ServerResponse {
  reply.hijack();
  const all: OutgoingHttpHeader[] = headers;
  const hooked = reply.getHeaders();
  for (const name in hooked) {
    const value = hooked[name];
    if (value !== undefined) all.push(name, value);
  }
  all.push('x-rainymodel-policy', policy, ...fixed);
  return reply.raw.writeHead(200, all);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Aborts when the client's connection closes before the response was fully written. */
function clientGone(reply: FastifyReply): AbortLink {
  const link = new AbortLink();
  const res = reply.raw;
  res.once('close', () => {
    if (!res.writableFinished) link.abort();
  });
  return link;
}
