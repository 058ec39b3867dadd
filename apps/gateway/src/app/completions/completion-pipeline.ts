/**
 * One model request end to end, whatever the client's protocol: parse (the dialect), resolve
 * the alias, order its deployments by policy, walk them with fallback, then answer (whole JSON,
 * or a committed SSE stream). Every client protocol (`client-dialect.ts`: OpenAI chat
 * completions, Anthropic Messages, …) goes through here, so routing, fallback, the breaker,
 * headers and usage records are the same for all of them.
 */
import type { RouterSettings } from '@orcest/config';
import type { UpstreamClient, Usage, WireStream } from '@orcest/providers';
import { measureRequest, parsePolicy, type Complexity, type Policy } from '@orcest/routing';
import type { OutgoingHttpHeader, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deployment } from '../deployments/deployment';
import type { DeploymentRegistry } from '../deployments/deployment-registry';
import type { ModelNames } from '../deployments/model-names';
import { ModelNotFoundError, NoDeploymentError, WrongEndpointError, type AttemptRecord } from '../errors';
import { OVERHEAD_HEADER, takeOverhead, UpstreamWait } from '../http/overhead';
import { AbortLink } from './abort-link';
import type { ClientDialect, ClientRequest } from './client-dialect';
import type { FallbackWalk } from './fallback-walk';
import { routeHeaders } from './route-headers';
import { writeStream } from './sse-writer';
import { UpstreamCall, type ResponseLimits } from './upstream-call';
import { estimateCompletionUsage, estimateStreamUsage } from '../usage/usage-estimate';
import type { RoutePlanner } from '../routing/route-planner';
import { requestedProfile, setRoutingHeaders } from '../routing/routing-headers';
import type { KnowledgeStep } from '../knowledge/knowledge-step';

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
  /**
   * Tokens of the answer: the upstream's counts (asked of every upstream, streams included), or
   * an estimate when it reported none (`usage/usage-estimate.ts`). Defined for every served
   * answer, a stream that failed after it began included.
   */
  readonly usage: Usage;
  /** True when `usage` is the gateway's estimate rather than the upstream's count. */
  readonly usageEstimated: boolean;
  /** A stream that failed after it began (the answer was 200, but incomplete). */
  readonly streamFailure: string | undefined;
  /** The complexity classifier's label for the request (chat only: undefined for embeddings). */
  readonly complexity: Complexity | undefined;
}

/**
 * A stream's record: its usage is read from the wire stream when asked, and fixed once the
 * stream ended (`ended`), so the estimate, if one is needed, is computed once.
 */
class StreamServed implements ServedCompletion {
  readonly stream = true;
  streamFailure: string | undefined = undefined;
  private finalUsage: Usage | undefined;

  constructor(
    readonly alias: string,
    readonly policy: string,
    readonly deployment: Deployment,
    readonly failed: readonly AttemptRecord[],
    private readonly wire: WireStream,
    /** The request's estimated prompt (`measureRequest`), used only when the upstream reports no usage. */
    private readonly promptTokens: number,
    readonly complexity: Complexity,
  ) {}

  get usage(): Usage {
    return this.finalUsage ?? this.wire.usage ?? estimateStreamUsage(this.promptTokens, this.wire.events);
  }

  get usageEstimated(): boolean {
    return this.wire.usage === undefined;
  }

  ended(failure: string | undefined): void {
    this.streamFailure = failure;
    this.finalUsage = this.usage;
  }
}

export type ServedObserver = (req: FastifyRequest, served: ServedCompletion) => void;

export class CompletionPipeline {
  private readonly limits: ResponseLimits;

  constructor(
    private readonly registry: DeploymentRegistry,
    private readonly walk: FallbackWalk,
    private readonly client: UpstreamClient,
    private readonly router: RouterSettings,
    private readonly planner: RoutePlanner,
    private readonly names: ModelNames,
    private readonly knowledge: KnowledgeStep,
  ) {
    this.limits = { maxResponseBytes: router.maxResponseBytes, maxEventBytes: router.maxStreamEventBytes };
  }

  async handle<R extends ClientRequest>(dialect: ClientDialect<R>, req: FastifyRequest, reply: FastifyReply, observe?: ServedObserver): Promise<void> {
    const startedAt = Date.now();
    const parsed = dialect.parse(req.body, req.headers);
    const alias = this.names.resolve(parsed.model);
    if (alias === undefined) throw new ModelNotFoundError(parsed.model, this.registry.aliases);
    const request = await this.knowledge.enrich(dialect, parsed, alias, reply);
    const policy = parsePolicy(headerValue(req.headers['x-rainymodel-policy']));
    const ordered = this.deploymentsFor(alias, policy);
    // Window filter, then the profile's order (if any); the policy's order otherwise.
    const shape = measureRequest(request.chat);
    const plan = this.planner.plan(alias, ordered, requestedProfile(req), shape, request.stream);
    setRoutingHeaders(reply, plan);
    const { deployments, complexity } = plan;
    const clientSignal = clientGone(reply);
    const wait = new UpstreamWait();
    req.upstreamWait = wait;
    const walkRequest = { alias, deployments, startedAt, clientSignal, wait };

    if (request.stream) {
      const result = await this.walk.run({ ...walkRequest, timeoutOf: (d) => d.streamTimeoutMs }, async (d, budget, attempt) => {
        const opened = await this.call(d, dialect, request, clientSignal).openStream(budget);
        attempt.firstToken();
        return opened;
      });
      const { attempt } = result;
      try {
        const served = observe ? new StreamServed(alias, policy, result.deployment, result.failed, result.value.stream, shape.promptTokens, complexity) : undefined;
        if (served) observe?.(req, served);
        const headers = routeHeaders(result.deployment, result.failed, Date.now() - startedAt);
        addServedHeaders(headers, dialect, request, result.deployment);
        const res = commit(reply, headers, policy, STREAM_HEADERS);
        const outcome = await writeStream(res, result.value, this.router.streamIdleTimeoutMs, dialect.streamFailure);
        served?.ended(outcome.failure?.reason);
        // The one verdict of this attempt: complete, failed (before or after the first byte), or no verdict (the client left).
        if (outcome.failure) attempt.fail(outcome.failure);
        else if (!outcome.clientClosed) attempt.succeed();
      } finally {
        attempt.release();
      }
      return;
    }

    const result = await this.walk.run({ ...walkRequest, timeoutOf: (d) => d.timeoutMs }, (d, budget) => this.call(d, dialect, request, clientSignal).complete(budget));
    // The whole answer is in hand: nothing can still fail on the upstream's side.
    result.attempt.succeed();
    const { json } = result.value;
    const reported = result.value.usage;
    const headers = routeHeaders(result.deployment, result.failed, Date.now() - startedAt);
    addServedHeaders(headers, dialect, request, result.deployment);
    headers.push('content-length', String(Buffer.byteLength(json)));
    if (observe) {
      const usage = reported ?? estimateCompletionUsage(shape.promptTokens, json);
      observe(req, { alias, policy, stream: false, deployment: result.deployment, failed: result.failed, usage, usageEstimated: reported === undefined, streamFailure: undefined, complexity });
    }
    commit(reply, headers, policy, JSON_HEADERS).end(json);
  }

  private deploymentsFor(alias: string, policy: Policy): readonly Deployment[] {
    if (!this.registry.has(alias)) throw new ModelNotFoundError(alias, this.registry.aliases);
    if (this.registry.modeOf(alias) === 'embedding') throw new WrongEndpointError(alias, 'an embedding model', '/v1/embeddings');
    const configured = this.registry.forAlias(alias);
    if (configured.length === 0) {
      throw new NoDeploymentError(`No deployment of ${alias} is configured: every one was skipped at start (missing API keys?)`);
    }
    const ordered = this.registry.ordered(alias, policy);
    if (ordered.length === 0) throw new NoDeploymentError(`No deployment of ${alias} is allowed by policy "${policy}"`);
    return ordered;
  }

  private call<R extends ClientRequest>(deployment: Deployment, dialect: ClientDialect<R>, request: R, clientSignal: AbortLink): UpstreamCall<R> {
    return new UpstreamCall(this.client, deployment, dialect, request, clientSignal, this.limits);
  }
}

const JSON_HEADERS: readonly string[] = ['content-type', 'application/json; charset=utf-8'];
const STREAM_HEADERS: readonly string[] = ['content-type', 'text/event-stream; charset=utf-8', 'cache-control', 'no-cache', 'x-accel-buffering', 'no'];

/**
 * Writes a 200's status line and headers on the raw response. Fastify's reply is bypassed
 * (its send path cost a few µs per request in bench/); the headers its hooks set — x-request-id,
 * CORS — are carried over.
 */
export function commit(reply: FastifyReply, headers: string[], policy: Policy, fixed: readonly string[]): ServerResponse {
  reply.hijack();
  const all: OutgoingHttpHeader[] = headers;
  const hooked = reply.getHeaders();
  for (const name in hooked) {
    const value = hooked[name];
    if (value !== undefined) all.push(name, value);
  }
  all.push('x-rainymodel-policy', policy, OVERHEAD_HEADER, takeOverhead(reply.request, reply), ...fixed);
  return reply.raw.writeHead(200, all);
}

function addServedHeaders<R extends ClientRequest>(headers: string[], dialect: ClientDialect<R>, request: R, deployment: Deployment): void {
  const extra = dialect.servedHeaders?.(request, deployment);
  if (extra !== undefined) headers.push(...extra);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Aborts when the client's connection closes before the response was fully written. */
export function clientGone(reply: FastifyReply): AbortLink {
  const link = new AbortLink();
  const res = reply.raw;
  res.once('close', () => {
    if (!res.writableFinished) link.abort();
  });
  return link;
}
