/**
 * One attempt against one deployment, and the one owner of its verdict. The walk opens it when
 * the circuit admits the request; exactly one of `succeed`, `fail` or `release` then settles it
 * (later calls are ignored), and only that call touches the deployment's health:
 *
 * - `succeed()` once the answer is complete: the whole JSON read, or the stream's end marker
 *   relayed. A stream's first chunk is not a success: an upstream that always cuts its streams
 *   after the first token must open its circuit like any other failing upstream.
 * - `fail(failure)` for anything the upstream is to blame for, before or after the first byte.
 * - `release()` when there is no verdict on the upstream: the client left, the caller's request
 *   was refused, or building the request failed on our side. Frees a half-open probe slot.
 *
 * Latency is recorded with the success: time to first content for streams (`firstToken` marks
 * it), time to the whole answer otherwise.
 */
import type { Admission } from '@orcest/routing';
import type { Deployment } from '../deployments/deployment';
import type { AttemptFailure } from './attempt-failure';

export type AttemptFailedListener = (deployment: Deployment, failure: AttemptFailure) => void;

export class Attempt {
  private settled = false;
  private firstTokenMs = -1;

  constructor(
    readonly deployment: Deployment,
    readonly admission: Admission,
    private readonly startedAt: number,
    private readonly now: () => number,
    private readonly onFailed: AttemptFailedListener,
  ) {}

  get isSettled(): boolean {
    return this.settled;
  }

  /** The stream's first content arrived (the gateway is committed to this upstream from here). */
  firstToken(): void {
    if (this.firstTokenMs < 0) this.firstTokenMs = this.now() - this.startedAt;
  }

  succeed(): void {
    if (this.settled) return;
    this.settled = true;
    const health = this.deployment.health;
    health.recordSuccess(this.admission);
    if (this.firstTokenMs >= 0) health.recordFirstToken(this.firstTokenMs);
    else health.recordTotal(this.now() - this.startedAt);
  }

  fail(failure: AttemptFailure): void {
    if (this.settled) return;
    this.settled = true;
    this.onFailed(this.deployment, failure);
    this.deployment.health.recordFailure(failure.reason, failure.message, this.now(), this.admission);
  }

  release(): void {
    if (this.settled) return;
    this.settled = true;
    this.deployment.health.breaker.release(this.admission);
  }
}
