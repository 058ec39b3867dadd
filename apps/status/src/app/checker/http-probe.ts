/**
 * One HTTP check: request the target with a hard deadline, read at most `maxBodyBytes` of the
 * body, and judge the result with the component's conditions. Never throws: every failure is
 * a result. The deadline covers connect, headers and body, so a hanging target costs one
 * slot for at most `timeoutMs`.
 */
import { firstFailedCondition, type CheckObservation, type HealthStatus, type HttpMonitorSpec } from '@orcest/monitoring';
import { Agent, request } from 'undici';

export interface ProbeResult {
  readonly ok: boolean;
  readonly health: HealthStatus;
  readonly responseMs: number;
  readonly httpStatus: number | null;
  /** Why it failed (or why it is degraded); null when all is well. */
  readonly error: string | null;
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
    const failed = firstFailedCondition(monitor.conditions, observation.seen);
    const responseMs = Math.round(observation.seen.responseTimeMs);
    const httpStatus = observation.seen.status ?? null;
    if (failed !== undefined) return { ok: false, health: monitor.downStatus, responseMs, httpStatus, error: observation.error ?? `condition failed: ${failed}` };
    const degraded = firstFailedCondition(monitor.degradedConditions, observation.seen);
    if (degraded !== undefined) return { ok: true, health: 'degraded_performance', responseMs, httpStatus, error: `degraded: ${degraded}` };
    return { ok: true, health: 'operational', responseMs, httpStatus, error: null };
  }

  private async observe(monitor: HttpMonitorSpec, started: number): Promise<{ seen: CheckObservation; error?: string }> {
    const signal = AbortSignal.timeout(monitor.timeoutMs);
    try {
      const res = await request(monitor.url, {
        method: monitor.method,
        headers: { 'user-agent': 'orcest-status/1', ...monitor.headers },
        body: monitor.body,
        signal,
        dispatcher: this.agent,
      });
      const body = await readCapped(res.body, this.maxBodyBytes);
      return { seen: { connected: true, status: res.statusCode, responseTimeMs: performance.now() - started, body } };
    } catch (error) {
      const timedOut = signal.aborted;
      const message = timedOut ? `timed out after ${monitor.timeoutMs} ms` : describe(error);
      return { seen: { connected: false, status: undefined, responseTimeMs: timedOut ? monitor.timeoutMs : performance.now() - started, body: '' }, error: message };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Reads up to `max` bytes, then drops the rest of the body (the connection is not reused). */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= max) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e.cause?.code ?? e.code;
  return code ? `${code}: ${e.cause?.message ?? e.message}` : String(e.message ?? error);
}
