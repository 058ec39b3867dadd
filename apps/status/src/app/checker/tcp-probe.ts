/**
 * A TCP check (`url: tcp://host:port`): connect, note how long it took, close. `[CONNECTED]`
 * says whether it connected, `[RESPONSE_TIME]` the time to connect; the deadline covers the
 * connect, so a host that drops packets costs at most `timeoutMs`.
 */
import { connectionFailureSummary, type TcpMonitorSpec } from '@orcest/monitoring';
import { connect } from 'node:net';
import { describeError, errorCode, judge, type Observation, type ProbeResult } from './probe-result';

export async function probeTcp(monitor: TcpMonitorSpec): Promise<ProbeResult> {
  return judge(monitor, await connectOnce(monitor));
}

function connectOnce(monitor: TcpMonitorSpec): Promise<Observation> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: monitor.host, port: monitor.port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ seen: { connected: false, status: undefined, responseTimeMs: monitor.timeoutMs, body: '' }, failure: { detail: `timed out after ${monitor.timeoutMs} ms`, summary: connectionFailureSummary(undefined, true) } });
    }, monitor.timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      const responseTimeMs = performance.now() - started;
      socket.destroy();
      resolve({ seen: { connected: true, status: undefined, responseTimeMs, body: '' } });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ seen: { connected: false, status: undefined, responseTimeMs: performance.now() - started, body: '' }, failure: { detail: describeError(error), summary: connectionFailureSummary(errorCode(error), false) } });
    });
  });
}
