/**
 * One HTTP check: request the target with a hard deadline, read at most `maxBodyBytes` of the
 * body (`checker.max-body`, 64 KiB by default; conditions see that prefix), and judge the
 * result with the component's conditions. Never throws: every failure is a result. The
 * deadline covers connect, headers and body, so a hanging target costs one slot for at most
 * `timeoutMs`.

 *
 * HTTPS certificates are verified; a monitor with `client: {insecure: true}` uses a second
 * pool that accepts any certificate. When a condition reads `[CERTIFICATE_EXPIRATION]`, the
 * certificate is read first (`tls-certificate.ts`) and a handshake failure is the check's
 * failure, without an HTTP request.
 */
import { connectionFailureSummary, type HttpMonitorSpec } from '@orcest/monitoring';
import { Agent, request } from 'undici';
import type { Clock } from '../clock';
import { readBounded } from './bounded-body';
import { describeError, errorCode, judge, type Observation, type ProbeResult } from './probe-result';
import { readCertificate } from './tls-certificate';

export class HttpProbe {
  private readonly agent: Agent;
  private insecureAgent: Agent | undefined;

  constructor(
    private readonly maxBodyBytes: number,
    private readonly concurrency: number,
    /** "Now" for the time left on a certificate (tests move it). */
    private readonly clock: Clock = { now: () => Date.now() },
  ) {
    // One pool for every check: keep-alive across intervals; as many sockets per origin as
    // checks may run at once, so many monitors on one host never queue behind each other.
    this.agent = new Agent({ keepAliveTimeout: 60_000, connections: concurrency, pipelining: 0 });
  }

  /** The pool for `client: {insecure: true}` monitors, made on first use. */
  private agentFor(monitor: HttpMonitorSpec): Agent {
    if (!monitor.insecure) return this.agent;
    this.insecureAgent ??= new Agent({ keepAliveTimeout: 60_000, connections: this.concurrency, pipelining: 0, connect: { rejectUnauthorized: false } });
    return this.insecureAgent;
  }

  async check(monitor: HttpMonitorSpec): Promise<ProbeResult> {
    return judge(monitor, await this.observe(monitor, performance.now()));
  }

  private async observe(monitor: HttpMonitorSpec, started: number): Promise<Observation> {
    let certificateExpirationMs: number | undefined;
    if (monitor.checksCertificate) {
      const reading = await readCertificate(new URL(monitor.url), { insecure: monitor.insecure, timeoutMs: monitor.timeoutMs });
      if (!reading.ok) {
        return {
          seen: { connected: false, status: undefined, responseTimeMs: reading.timedOut ? monitor.timeoutMs : performance.now() - started, body: '' },
          failure: { detail: reading.detail, summary: connectionFailureSummary(reading.code, reading.timedOut) },
        };
      }
      certificateExpirationMs = reading.validTo - this.clock.now();
    }
    const signal = AbortSignal.timeout(monitor.timeoutMs);
    try {
      const res = await request(monitor.url, {
        method: monitor.method,
        headers: { 'user-agent': 'orcest-status/1', ...monitor.headers },
        body: monitor.body,
        signal,
        dispatcher: this.agentFor(monitor),
      });
      const { text } = await readBounded(res.body, this.maxBodyBytes);
      return { seen: { connected: true, status: res.statusCode, responseTimeMs: performance.now() - started, body: text, certificateExpirationMs } };
    } catch (error) {
      const timedOut = signal.aborted;
      const code = errorCode(error);
      return {
        seen: { connected: false, status: undefined, responseTimeMs: timedOut ? monitor.timeoutMs : performance.now() - started, body: '' },
        failure: { detail: timedOut ? `timed out after ${monitor.timeoutMs} ms` : describeError(error), summary: connectionFailureSummary(code, timedOut) },
      };
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.agent.close(), this.insecureAgent?.close()]);
  }
}
