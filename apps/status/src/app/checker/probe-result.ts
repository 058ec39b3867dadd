/**
 * What every kind of check (HTTP, TCP, DNS, a gateway's deployments) hands the checker, and the
 * one way an observation is judged against a monitor's conditions, so the debounce, history
 * and incidents treat every kind alike.
 *
 * A result says what failed twice: `error`, the raw detail (the network stack's message with
 * its address and port, the value a condition saw) for the admin view and the history, and
 * `summary`, plain words for the public page, feed and webhooks.
 */
import { conditionFailureSummary, findFailedCondition, type CheckMonitorSpec, type CheckObservation, type HealthStatus } from '@orcest/monitoring';

export interface ProbeResult {
  readonly ok: boolean;
  readonly health: HealthStatus;
  readonly responseMs: number;
  readonly httpStatus: number | null;
  /** Why it failed (or why it is degraded), raw: admin view and history only. Null when all is well. */
  readonly error: string | null;
  /** The same in plain words that name no address and repeat nothing the target sent: safe to publish. */
  readonly summary: string | null;
}

/** What a probe saw, and when it could not even ask, why (which then explains any failed condition). */
export interface Observation {
  readonly seen: CheckObservation;
  readonly failure?: { readonly detail: string; readonly summary: string };
}

export function judge(monitor: CheckMonitorSpec, observation: Observation): ProbeResult {
  const responseMs = Math.round(observation.seen.responseTimeMs);
  const httpStatus = observation.seen.status ?? null;
  const failed = findFailedCondition(monitor.conditions, observation.seen);
  if (failed !== undefined) {
    const failure = observation.failure ?? { detail: `condition failed: ${failed.seen}`, summary: conditionFailureSummary(failed.condition.text, observation.seen.status) };
    return { ok: false, health: monitor.downStatus, responseMs, httpStatus, error: failure.detail, summary: failure.summary };
  }
  const degraded = findFailedCondition(monitor.degradedConditions, observation.seen);
  if (degraded !== undefined) return { ok: true, health: 'degraded_performance', responseMs, httpStatus, error: `degraded: ${degraded.seen}`, summary: conditionFailureSummary(degraded.condition.text, observation.seen.status, 'degraded') };
  return { ok: true, health: 'operational', responseMs, httpStatus, error: null, summary: null };
}

/** The error's code, or its cause's (undici wraps the socket's error). */
export function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The raw detail of a connection-level error: its code and message (admin only). */
export function describeError(error: unknown): string {
  const code = errorCode(error);
  const e = error as Error & { cause?: Error };
  return code ? `${code}: ${e.cause?.message ?? e.message}` : String(e?.message ?? error);
}
