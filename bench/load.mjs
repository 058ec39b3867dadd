/**
 * A small closed-loop load generator: `connections` workers, each sending its next request as
 * soon as the previous answer was read in full. Latencies are kept in microseconds (autocannon
 * rounds to whole milliseconds, too coarse for a sub-millisecond overhead).
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

/**
 * CPU time (user + system, ms) a process has used so far, from /proc; undefined where there is
 * no /proc (the benchmark then prints no CPU figures).
 */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100;

/**
 * @param serverPid when given, the result's `cpuUsPerRequest` is that process's CPU time over
 *   the measured run divided by the requests it answered: on a busy machine a steadier measure of
 *   a proxy's cost than its throughput.
 */
export async function runLoad({ url, path, headers, body, connections, durationMs, warmupMs = 1000, serverPid }) {
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies = [];
  let errors = 0;
  let measuring = false;
  let stopAt = Date.now() + warmupMs;

  const worker = async () => {
    while (Date.now() < stopAt) {
      const start = process.hrtime.bigint();
      try {
        const res = await pool.request({ method: 'POST', path, headers, body });
        await res.body.text();
        if (res.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
      if (measuring) latencies.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  };

  // Warm-up (connections, JIT), then the measured run.
  await Promise.all(Array.from({ length: connections }, worker));
  measuring = true;
  errors = 0;
  const cpuBefore = serverPid === undefined ? undefined : processCpuMs(serverPid);
  const started = Date.now();
  stopAt = started + durationMs;
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (Date.now() - started) / 1000;
  const cpuAfter = serverPid === undefined ? undefined : processCpuMs(serverPid);
  await pool.close();

  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] / 1000;
  const cpuUsPerRequest = cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1000) / latencies.length;
  return { requests: latencies.length, rps: latencies.length / elapsed, p50: pct(50), p99: pct(99), errors, cpuUsPerRequest };
}

/**
 * One figure per target from its alternating rounds: summed requests and errors, mean
 * throughput, median percentiles, CPU per request over all requests (undefined without /proc).
 */
export function combineRounds(runs) {
  const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const cpuKnown = runs.every((r) => r.cpuUsPerRequest !== undefined);
  return {
    requests,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    rps: runs.reduce((n, r) => n + r.rps, 0) / runs.length,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpuUsPerRequest: cpuKnown ? runs.reduce((n, r) => n + r.cpuUsPerRequest * r.requests, 0) / requests : undefined,
  };
}
