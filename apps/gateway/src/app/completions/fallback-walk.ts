/**
 * The fallback walk: tries an alias's deployments in policy order until one succeeds.
 *
 * - Pass 1 visits every deployment whose circuit admits a request. If every circuit is open,
 *   the one whose cooldown ends first is tried anyway (as its half-open probe): a request is
 *   never refused without one attempt.
 * - A failure another upstream could fix moves on; a caller's fault (upstream 400/413/422)
 *   ends the walk at once.
 * - When a whole pass failed, up to `numRetries` more passes follow over the deployments whose
 *   circuits still admit requests, after an exponential pause (`retryBackoffMs` × 2^pass, or
 *   the upstreams' shortest Retry-After if longer) that must fit in the deadline.
 * - Each attempt gets min(its deployment's timeout, time left before the request deadline).
 *   Nothing starts after the deadline: the walk ends with DeadlineExceededError.
 * - Each attempt is an `Attempt` handle, the one owner of its verdict. The walk settles the
 *   attempts that failed; the one that produced a value is handed back unsettled, and the
 *   caller settles it when the answer is complete (a stream: after its end marker went out).
 * - A `DeploymentSkipped` (the deployment answered, but not what this request needs) is recorded
 *   among the attempts with no verdict on the upstream, and that deployment is not tried again.
 * - Only an `AttemptFailure` is the upstream's fault. Anything else an attempt throws (the
 *   client left, building the upstream request failed) releases the admission untouched and
 *   ends the walk: another upstream would not do better.
 */
import type { RouterSettings } from '@orcest/config';
import type { Deployment } from '../deployments/deployment';
import { AllUpstreamsFailedError, ClientClosedError, DeadlineExceededError, NoDeploymentError, UpstreamRejectedRequestError, type AttemptRecord } from '../errors';
import { AttemptFailure } from './attempt-failure';
import { DeploymentSkipped } from './deployment-skipped';
import { Attempt, type AttemptFailedListener } from './attempt';
import type { AbortLink } from './abort-link';
import type { AttemptBudget } from './upstream-call';
import type { UpstreamWait } from '../http/overhead';

export interface WalkRequest {
  readonly alias: string;
  readonly deployments: readonly Deployment[];
  readonly startedAt: number;
  readonly clientSignal: AbortLink;
  /** Per-attempt timeout to use for a deployment (streaming uses its time-to-first-token limit). */
  readonly timeoutOf: (deployment: Deployment) => number;
  /** Grown by the time spent in attempts and backoff pauses (the overhead header subtracts it). */
  readonly wait?: UpstreamWait;
}

export interface WalkSuccess<T> {
  readonly value: T;
  readonly deployment: Deployment;
  /** Still unsettled: the caller calls `succeed()`, `fail()` or `release()` once the answer is out. */
  readonly attempt: Attempt;
  /** Failed attempts before the one that served, in order. */
  readonly failed: readonly AttemptRecord[];
}

export class FallbackWalk {
  constructor(
    private readonly settings: RouterSettings,
    /** Told about every failed attempt (RAINYMODEL_DEBUG logs them). */
    private readonly onAttemptFailed: AttemptFailedListener = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  async run<T>(walk: WalkRequest, attempt: (deployment: Deployment, budget: AttemptBudget, handle: Attempt) => Promise<T>): Promise<WalkSuccess<T>> {
    const deadlineAt = walk.startedAt + this.settings.requestTimeoutMs;
    const failed: AttemptRecord[] = [];
    let retryAfterMs: number | undefined;
    let skipped: Set<Deployment> | undefined;

    for (let pass = 0; pass <= this.settings.numRetries; pass++) {
      if (pass > 0) {
        const pauseMs = Math.max(this.settings.retryBackoffMs * 2 ** (pass - 1), retryAfterMs ?? 0);
        if (this.now() + pauseMs >= deadlineAt) break;
        const pausedAt = performance.now();
        try {
          await sleep(pauseMs, walk.clientSignal);
        } finally {
          if (walk.wait) walk.wait.ms += performance.now() - pausedAt;
        }
        retryAfterMs = undefined;
      }
      const remaining = skipped ? walk.deployments.filter((d) => !skipped?.has(d)) : walk.deployments;
      let candidates = this.available(remaining);
      // If every circuit is open, the one whose cooldown ends first is tried anyway, once.
      const forced = candidates.length === 0 && pass === 0 && remaining.length > 0;
      if (forced) candidates = [this.soonest(remaining)];
      if (candidates.length === 0) break;
      for (const deployment of candidates) {
        const now = this.now();
        if (now >= deadlineAt) throw new DeadlineExceededError(walk.alias, this.settings.requestTimeoutMs, failed);
        const breaker = deployment.health.breaker;
        const acquired = forced ? breaker.forceAcquire() : breaker.tryAcquire(now);
        // A promise only for a half-open circuit shared by replicas: the fleet-wide probe lock.
        const admission = typeof acquired === 'string' ? acquired : await acquired;
        if (admission === 'rejected') continue;
        const timeoutMs = walk.timeoutOf(deployment);
        const budget: AttemptBudget = { ms: Math.min(timeoutMs, deadlineAt - now), limitedByDeadline: deadlineAt - now < timeoutMs };
        const handle = new Attempt(deployment, admission, now, this.now, this.onAttemptFailed);
        const attemptedAt = performance.now();
        try {
          const value = await attempt(deployment, budget, handle);
          if (walk.wait) walk.wait.ms += performance.now() - attemptedAt;
          return { value, deployment, attempt: handle, failed };
        } catch (error) {
          if (walk.wait) walk.wait.ms += performance.now() - attemptedAt;
          if (error instanceof DeploymentSkipped) {
            handle.release();
            failed.push({ deployment: deployment.name, tier: deployment.tier, reason: error.reason, message: error.message });
            (skipped ??= new Set()).add(deployment);
            continue;
          }
          if (!(error instanceof AttemptFailure)) {
            handle.release();
            throw error;
          }
          failed.push({ deployment: deployment.name, tier: deployment.tier, reason: error.reason, message: error.message });
          if (!error.retryable) {
            this.onAttemptFailed(deployment, error);
            handle.release();
            throw new UpstreamRejectedRequestError(error.status ?? 400, error.message, failed);
          }
          handle.fail(error);
          if (error.retryAfterMs !== undefined) retryAfterMs = Math.min(retryAfterMs ?? Infinity, error.retryAfterMs);
          if (error.reason === 'deadline') throw new DeadlineExceededError(walk.alias, this.settings.requestTimeoutMs, failed);
        }
      }
    }
    if (this.now() >= deadlineAt) throw new DeadlineExceededError(walk.alias, this.settings.requestTimeoutMs, failed);
    // Only possible when other requests hold every half-open probe slot.
    if (failed.length === 0) throw new NoDeploymentError(`every deployment of ${walk.alias} is cooling down after failures; retry shortly`);
    throw new AllUpstreamsFailedError(walk.alias, failed);
  }

  /** The deployments whose circuits admit a request now: the list itself when all do (the usual case, no copy). */
  private available(deployments: readonly Deployment[]): readonly Deployment[] {
    const now = this.now();
    let open: Deployment[] | undefined;
    for (let i = 0; i < deployments.length; i++) {
      const admits = deployments[i].health.breaker.isAvailable(now);
      if (open !== undefined) {
        if (admits) open.push(deployments[i]);
      } else if (!admits) {
        open = deployments.slice(0, i);
      }
    }
    return open ?? deployments;
  }

  private soonest(deployments: readonly Deployment[]): Deployment {
    return deployments.reduce((best, d) => (d.health.breaker.cooldownEndsAt < best.health.breaker.cooldownEndsAt ? d : best));
  }
}

function sleep(ms: number, signal: AbortLink): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ClientClosedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ClientClosedError());
    };
    const timer = setTimeout(() => {
      signal.removeListener('abort', onAbort);
      resolve();
    }, ms);
    signal.once('abort', onAbort);
  });
}
