/**
 * A DNS check (`url: dns://resolver:port`, `dns: {query-name, query-type}`): one query over
 * UDP to the resolver, one answer. `[DNS_RCODE]` is the answer's response code (NOERROR,
 * NXDOMAIN, …), `[BODY]` the first record of the queried type (an address for A/AAAA, a name
 * for CNAME/NS/MX, the text for TXT), `[CONNECTED]` whether an answer came. No retries: the
 * debounce already asks for several failures in a row. Datagrams from anyone but the resolver,
 * or with another id, are ignored (a spoofed answer must also guess the random id).
 */
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { connectionFailureSummary, decodeDnsAnswer, DnsFormatError, encodeDnsQuery, type DnsMonitorSpec } from '@orcest/monitoring';
import { describeError, errorCode, judge, type Observation, type ProbeResult } from './probe-result';

export async function probeDns(monitor: DnsMonitorSpec): Promise<ProbeResult> {
  return judge(monitor, await queryOnce(monitor));
}

function queryOnce(monitor: DnsMonitorSpec): Promise<Observation> {
  const started = performance.now();
  const id = randomInt(0, 65536);
  const socket = createSocket(isIPv6(monitor.resolver) ? 'udp6' : 'udp4');
  return new Promise<Observation>((resolve) => {
    const finish = (observation: Observation) => {
      clearTimeout(timer);
      socket.close();
      resolve(observation);
    };
    const failed = (detail: string, summary: string, responseTimeMs = performance.now() - started): Observation => ({ seen: { connected: false, status: undefined, responseTimeMs, body: '' }, failure: { detail, summary } });
    const timer = setTimeout(() => finish(failed(`no DNS answer within ${monitor.timeoutMs} ms`, connectionFailureSummary(undefined, true), monitor.timeoutMs)), monitor.timeoutMs);
    socket.on('message', (message, from) => {
      if (from.port !== monitor.port || message.length < 2 || message.readUInt16BE(0) !== id) return;
      try {
        const answer = decodeDnsAnswer(message, monitor.queryType);
        finish({ seen: { connected: true, status: undefined, responseTimeMs: performance.now() - started, body: answer.records[0] ?? '', dnsRcode: answer.rcode } });
      } catch (error) {
        if (!(error instanceof DnsFormatError)) throw error;
        finish(failed(error.message, 'malformed DNS answer'));
      }
    });
    socket.once('error', (error) => finish(failed(describeError(error), connectionFailureSummary(errorCode(error), false))));
    socket.send(encodeDnsQuery(id, monitor.queryName, monitor.queryType), monitor.port, monitor.resolver, (error) => {
      if (error) finish(failed(describeError(error), connectionFailureSummary(errorCode(error), false)));
    });
  });
}
