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
import type { ServerResponse } from 'node:http';
import type { Deployment } from '../deployments/deployment';
import type { DeploymentRegistry } from '../deployments/deployment-registry';
import type { ModelNames } from '../deployments/model-names';
import { AllUpstreamsFailedError, DeadlineExceededError, ModelNotFoundError, NoDeploymentError, WrongEndpointError, type AttemptRecord } from '../errors';
import type { CacheTicket, ResponseCache } from '../cache/response-cache';
import type { CachedAnswer } from '../cache/cached-answer';
import type { ModelReply, ModelRequest } from '../http/model-exchange';
import { UpstreamWait } from '../http/overhead';
import type { AbortLink } from './abort-link';
import type { ClientDialect, ClientRequest } from './client-dialect';
import type { FallbackWalk, WalkSuccess } from './fallback-walk';
import { cachedRouteHeaders, routeHeaders } from './route-headers';
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
  /**
   * Set when the answer came from the response cache (a hit, or a stale one when every upstream
   * failed): no upstream tokens were spent, `usage` is zero, and `deployment` is the one that
   * produced the cached answer.
   */
  readonly cache?: 'hit' | 'stale';
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

export type ServedObserver = (req: ModelRequest, served: ServedCompletion) => void;

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
    /** Undefined: no response cache at all. */
    private readonly cache?: ResponseCache,
  ) {
    this.limits = { maxResponseBytes: router.maxResponseBytes, maxEventBytes: router.maxStreamEventBytes };
  }

  async handle<R extends ClientRequest>(dialect: ClientDialect<R>, req: ModelRequest, reply: ModelReply, observe?: ServedObserver): Promise<void> {
    const startedAt = Date.now();
    const parsed = dialect.parse(req.body, req.headers, req.bodyText);
    const alias = this.names.resolve(parsed.model);
    if (alias === undefined) throw new ModelNotFoundError(parsed.model, this.registry.aliases);
    // Awaited only when the alias has a knowledge agent: an await is a microtask even on a value.
    const enriched = this.knowledge.enrich(dialect, parsed, alias, reply);
    const request = enriched instanceof Promise ? await enriched : enriched;
    const policy = parsePolicy(headerValue(req.headers['x-rainymodel-policy']));
    const ordered = this.deploymentsFor(alias, policy);
    // Window filter, then the profile's order (if any); the policy's order otherwise.
    const shape = measureRequest(request.chat);
    const plan = this.planner.plan(alias, ordered, requestedProfile(req), shape, request.stream);
    setRoutingHeaders(reply, plan);
    const { deployments, complexity } = plan;
    const clientSignal = reply.clientGone();
    const wait = new UpstreamWait();
    req.upstreamWait = wait;
    const walkRequest = { alias, deployments, startedAt, clientSignal, wait, timeoutOf: request.stream ? streamTimeoutOf : wholeTimeoutOf };
    // The response cache, where it applies (cache/): a fresh answer is served without a walk;
    // the others fill it after the walk, or fall back to an expired one if every upstream failed.
    const ticket = dialect.cache && this.cache?.begin(alias, dialect.cache.name, req.headers, request.chat);
    const fromCache =
      ticket &&
      ((answer: CachedAnswer, verdict: 'hit' | 'stale', failed: readonly AttemptRecord[]) =>
        this.answerFromCache(dialect, request, req, reply, answer, verdict, { policy, complexity, startedAt, failed, deployments }, observe));
    if (ticket !== undefined && fromCache !== undefined) {
      const cached = await this.cache?.fresh(ticket);
      if (cached !== undefined) return fromCache(cached, 'hit', []);
      reply.header('x-rainymodel-cache', ticket.key === undefined ? 'skip' : 'miss');
    }

    if (request.stream) {
      const walked = this.walk.run(walkRequest, async (d, budget, attempt) => {
        const opened = await this.call(d, dialect, request, clientSignal).openStream(budget);
        attempt.firstToken();
        return opened;
      });
      // Without the cache, the walk is awaited as is: no wrapper on the uncached path.
      const result = ticket && fromCache ? await this.lastResort(ticket, walked, fromCache) : await walked;
      if (result === undefined) return;
      const { attempt } = result;
      try {
        const served = observe ? new StreamServed(alias, policy, result.deployment, result.failed, result.value.stream, shape.promptTokens, complexity) : undefined;
        if (served) observe?.(req, served);
        const headers = routeHeaders(result.deployment, result.failed, Date.now() - startedAt);
        addServedHeaders(headers, dialect, request, result.deployment);
        const res = commit(reply, headers, policy, STREAM_HEADERS);
        const assembly = ticket?.key !== undefined ? dialect.cache?.streamAssembler(this.cache?.maxAnswerBytes ?? 0) : undefined;
        const ending = { failureEvent: dialect.streamFailure, beforeLast: dialect.answerKept?.bind(dialect) };
        const outcome = await writeStream(res, result.value, this.router.streamIdleTimeoutMs, ending, assembly?.tap);
        served?.ended(outcome.failure?.reason);
        // Only a stream that completed fills the cache: never a cut one, nor one the client left.
        const assembled = assembly && !outcome.failure && !outcome.clientClosed ? assembly.assemble(result.value.stream.usage) : undefined;
        if (ticket && assembled !== undefined) this.cache?.fill(ticket, assembled, result.deployment);
        // The one verdict of this attempt: complete, failed (before or after the first byte), or no verdict (the client left).
        if (outcome.failure) attempt.fail(outcome.failure);
        else if (!outcome.clientClosed) attempt.succeed();
      } finally {
        attempt.release();
      }
      return;
    }

    const walked = this.walk.run(walkRequest, (d, budget) => this.call(d, dialect, request, clientSignal).complete(budget));
    const result = ticket && fromCache ? await this.lastResort(ticket, walked, fromCache) : await walked;
    if (result === undefined) return;
    // The whole answer is in hand: nothing can still fail on the upstream's side.
    result.attempt.succeed();
    const { json } = result.value;
    if (ticket) this.cache?.fill(ticket, json, result.deployment);
    const kept = dialect.answerKept?.();
    if (kept !== undefined) await kept;
    const reported = result.value.usage;
    const headers = routeHeaders(result.deployment, result.failed, Date.now() - startedAt);
    addServedHeaders(headers, dialect, request, result.deployment);
    headers.push('content-length', String(Buffer.byteLength(json)));
    if (observe) {
      const usage = reported ?? estimateCompletionUsage(shape.promptTokens, json, dialect);
      observe(req, { alias, policy, stream: false, deployment: result.deployment, failed: result.failed, usage, usageEstimated: reported === undefined, streamFailure: undefined, complexity });
    }
    commit(reply, headers, policy, JSON_HEADERS).end(json);
  }

  /**
   * The walk's result; or, when every upstream failed (or the deadline passed) and the request
   * may have it, an expired cached answer served instead (then undefined: answered).
   */
  private async lastResort<T>(
    ticket: CacheTicket,
    walk: Promise<WalkSuccess<T>>,
    serveStale: (answer: CachedAnswer, verdict: 'stale', failed: readonly AttemptRecord[]) => void,
  ): Promise<WalkSuccess<T> | undefined> {
    try {
      const result = await walk;
      this.cache?.count(ticket.alias, ticket.key === undefined ? 'skip' : 'miss');
      return result;
    } catch (error) {
      // Offline: every upstream failed, the deadline passed, or every circuit is open and probed.
      const failed = error instanceof AllUpstreamsFailedError || error instanceof DeadlineExceededError ? error.attempts : error instanceof NoDeploymentError ? [] : undefined;
      const stale = failed !== undefined ? await this.cache?.stale(ticket) : undefined;
      if (stale === undefined || failed === undefined) {
        this.cache?.count(ticket.alias, ticket.key === undefined ? 'skip' : 'miss');
        throw error;
      }
      serveStale(stale, 'stale', failed);
      return undefined;
    }
  }

  /** Writes a cached answer as the request asked for it: whole, or replayed as the client's stream. */
  private answerFromCache<R extends ClientRequest>(
    dialect: ClientDialect<R>,
    request: R,
    req: ModelRequest,
    reply: ModelReply,
    answer: CachedAnswer,
    verdict: 'hit' | 'stale',
    context: { policy: Policy; complexity: Complexity; startedAt: number; failed: readonly AttemptRecord[]; deployments: readonly Deployment[] },
    observe: ServedObserver | undefined,
  ): void {
    const { policy, complexity, startedAt, failed } = context;
    const alias = request.model;
    this.cache?.count(alias, verdict);
    reply.header('x-rainymodel-cache', verdict).header('age', String(this.cache?.ageSeconds(answer) ?? 0));
    if (observe) {
      // The record names the deployment that produced the answer (any configured one if it is gone from the config).
      const deployment = this.registry.forAlias(alias).find((d) => d.name === answer.deployment) ?? context.deployments[0];
      observe(req, { alias, policy, stream: request.stream, deployment, failed, usage: NO_USAGE, usageEstimated: false, streamFailure: undefined, complexity, cache: verdict });
    }
    const headers = cachedRouteHeaders(answer, failed, Date.now() - startedAt);
    if (request.stream && dialect.cache) {
      commit(reply, headers, policy, STREAM_HEADERS).end(dialect.cache.replayStream(request, answer.body));
      return;
    }
    headers.push('content-length', String(Buffer.byteLength(answer.body)));
    commit(reply, headers, policy, JSON_HEADERS).end(answer.body);
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

/** How long an attempt may take: a stream until its first content, a whole answer until its end. */
const streamTimeoutOf = (d: Deployment): number => d.streamTimeoutMs;
const wholeTimeoutOf = (d: Deployment): number => d.timeoutMs;

/** A cached answer spent no upstream tokens. */
const NO_USAGE: Usage = Object.freeze({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });

const JSON_HEADERS: readonly string[] = ['content-type', 'application/json; charset=utf-8'];
const STREAM_HEADERS: readonly string[] = ['content-type', 'text/event-stream; charset=utf-8', 'cache-control', 'no-cache', 'x-accel-buffering', 'no'];

/**
 * Writes a 200's status line: the route's headers, the policy, the fixed ones of the answer's
 * kind, and those set on the reply (request id, CORS, routing, rate limits, overhead).
 */
export function commit(reply: ModelReply, headers: string[], policy: Policy, fixed: readonly string[]): ServerResponse {
  headers.push('x-rainymodel-policy', policy);
  for (let i = 0; i < fixed.length; i++) headers.push(fixed[i]);
  return reply.writeHead(200, headers);
}

function addServedHeaders<R extends ClientRequest>(headers: string[], dialect: ClientDialect<R>, request: R, deployment: Deployment): void {
  const extra = dialect.servedHeaders?.(request, deployment);
  if (extra !== undefined) headers.push(...extra);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

