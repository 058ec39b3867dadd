/**
 * One attempt against one deployment: send, check the status, and either read the whole
 * answer or open the stream up to its first substantive chunk (the point after which the
 * gateway can no longer fall back). Every failure of the upstream comes out as an
 * AttemptFailure; a ClientClosedError when the client left; a RequestBuildError when the
 * request could not even be built (before any timer or connection: not the upstream's doing).
 */
import { joinWire, type DecodedCompletion, type StreamOptions, type UpstreamBody, type UpstreamClient, type UpstreamRequest, type Wire, type WireStream } from '@orcest/providers';
import type { Deployment } from '../deployments/deployment';
import { ClientClosedError, RequestBuildError } from '../errors';
import { AttemptFailure, failureFromError, failureFromStatus } from './attempt-failure';
import type { AbortLink } from './abort-link';
import { AttemptTimer } from './attempt-timer';
import type { ClientDialect, ClientRequest } from './client-dialect';

/** Size caps on what an upstream sends back (router_settings `max_response_bytes`, `max_stream_event_bytes`). */
export interface ResponseLimits extends StreamOptions {
  readonly maxResponseBytes: number;
}

/** An error body is only quoted in a message: this much of it is plenty. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** What a walk gives each attempt: how long it may take and whether that limit is the request deadline. */
export interface AttemptBudget {
  readonly ms: number;
  readonly limitedByDeadline: boolean;
}

export interface OpenedStream {
  /** The client's bytes for the chunks up to and including the first substantive one, to write on commit. */
  readonly preamble: Wire;
  readonly stream: WireStream;
  readonly body: UpstreamBody;
  /** Still owns the upstream request: the writer re-arms it as the idle timer and disposes it. */
  readonly timer: AttemptTimer;
}

export class UpstreamCall<R extends ClientRequest> {
  constructor(
    private readonly client: UpstreamClient,
    private readonly deployment: Deployment,
    private readonly dialect: ClientDialect<R>,
    private readonly request: R,
    private readonly clientSignal: AbortLink,
    private readonly limits: ResponseLimits,
  ) {}

  async complete(budget: AttemptBudget): Promise<DecodedCompletion> {
    const upstreamRequest = this.build(false);
    const timer = this.startTimer(budget);
    try {
      const response = await this.send(upstreamRequest, timer);
      const text = await response.body.text(this.limits.maxResponseBytes);
      return this.dialect.decodeCompletion(this.request, this.deployment, text);
    } catch (error) {
      throw this.failure(error, timer, budget);
    } finally {
      timer.dispose();
    }
  }

  async openStream(budget: AttemptBudget): Promise<OpenedStream> {
    const upstreamRequest = this.build(true);
    const timer = this.startTimer(budget);
    try {
      const response = await this.send(upstreamRequest, timer);
      const stream = this.dialect.createWireStream(this.request, this.deployment, this.limits);
      const { body } = response;
      let preamble: Wire = '';
      for (;;) {
        const next = body.next();
        const chunk = next instanceof Promise ? await next : next;
        if (chunk === null) {
          preamble = joinWire(preamble, stream.end());
          break;
        }
        preamble = joinWire(preamble, stream.push(chunk));
        if (stream.finished || stream.started) break;
      }
      return { preamble, stream, body, timer };
    } catch (error) {
      const failure = this.failure(error, timer, budget, true);
      // The body is not read further: end the exchange, or an upstream that keeps sending (or
      // keeps the stream open) would hold its connection with nobody reading.
      timer.signal.abort();
      timer.dispose();
      throw failure;
    }
  }

  private startTimer(budget: AttemptBudget): AttemptTimer {
    const timer = new AttemptTimer(this.clientSignal);
    timer.arm(budget.ms, budget.limitedByDeadline ? 'deadline' : 'timeout');
    return timer;
  }

  private build(stream: boolean): UpstreamRequest {
    try {
      return this.dialect.buildRequest(this.request, this.deployment, stream);
    } catch (error) {
      throw new RequestBuildError(this.deployment.name, error);
    }
  }

  private async send(upstreamRequest: UpstreamRequest, timer: AttemptTimer) {
    const { adapter, target } = this.deployment;
    const response = await this.client.send(target, upstreamRequest, timer.signal);
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const text = await response.body.text(MAX_ERROR_BODY_BYTES, 'truncate');
    throw failureFromStatus(response.statusCode, adapter.errorMessage(response.statusCode, text), response.header('retry-after'));
  }

  private failure(error: unknown, timer: AttemptTimer, budget: AttemptBudget, streaming = false): Error {
    if (timer.cause === 'client') return new ClientClosedError();
    if (timer.cause === 'timeout') {
      return new AttemptFailure('timeout', `no ${this.request.stream ? 'first token' : 'answer'} within ${budget.ms} ms`, true);
    }
    if (timer.cause === 'deadline') return new AttemptFailure('deadline', `cut by the request deadline after ${budget.ms} ms`, true);
    return failureFromError(error, streaming);
  }
}
