/**
 * One HTTP check: request the target with a hard deadline, read at most `maxBodyBytes` of the
 * body (`checker.max-body`, 64 KiB by default; conditions see that prefix), and judge the
 * result with the component's conditions. Never throws: every failure is a result. The
 * deadline covers connect, headers and body, so a hanging target costs one slot for at most
 * `timeoutMs`.
 *
 * A result says what failed twice: `error`, the raw detail (the network stack's message with
 * its address and port, the value a condition saw in the body) for the admin view and the
 * history, and `summary`, plain words for the public page, feed and webhooks.
 */
import {
  conditionFailureSummary,
  connectionFailureSummary,
  findFailedCondition,
  type CheckObservation,
  type HealthStatus,
  type HttpMonitorSpec,
} from '@orcest/monitoring';
import { Agent, request } from 'undici';
import { readBounded } from './bounded-body';

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

interface Observation {
  readonly seen: CheckObservation;
  readonly failure?: { readonly detail: string; readonly summary: string };
}

export class HttpProbe {
  private readonly agent: Agent;

  constructor(
    private readonly maxBodyBytes: number,
    concurrency: number,
  ) {
    // One pool for every check: keep-alive across intervals; as many sockets per origin as
    // checks may run at once, so many monitors on one host never queue behind each other.
    this.agent = new Agent({ keepAliveTimeout: 60_000, connections: concurrency, pipelining: 0 });
  }

  async check(monitor: HttpMonitorSpec): Promise<ProbeResult> {
    const started = performance.now();
    const observation = await this.observe(monitor, started);
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

  private async observe(monitor: HttpMonitorSpec, started: number): Promise<Observation> {
    const signal = AbortSignal.timeout(monitor.timeoutMs);
    try {
      const res = await request(monitor.url, {
        method: monitor.method,
        headers: { 'user-agent': 'orcest-status/1', ...monitor.headers },
        body: monitor.body,
        signal,
        dispatcher: this.agent,
      });
      const { text } = await readBounded(res.body, this.maxBodyBytes);
      return { seen: { connected: true, status: res.statusCode, responseTimeMs: performance.now() - started, body: text } };
    } catch (error) {
      const timedOut = signal.aborted;
      const code = errorCode(error);
      return {
        seen: { connected: false, status: undefined, responseTimeMs: timedOut ? monitor.timeoutMs : performance.now() - started, body: '' },
        failure: { detail: timedOut ? `timed out after ${monitor.timeoutMs} ms` : describe(error, code), summary: connectionFailureSummary(code, timedOut) },
      };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** The error's code, or its cause's (undici wraps the socket's error). */
export function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

function describe(error: unknown, code: string | undefined): string {
  const e = error as Error & { cause?: Error };
  return code ? `${code}: ${e.cause?.message ?? e.message}` : String(e?.message ?? error);
}
