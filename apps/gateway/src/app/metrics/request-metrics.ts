/**
 * Counters of finished chat requests for GET /metrics: requests by alias and status, a latency
 * histogram per alias, tokens by alias. Updated once per request after the answer is out;
 * labels are bounded (configured aliases, HTTP statuses), so memory is too.
 */
const BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;
/** The gateway's own time per request is sub-millisecond when healthy: finer buckets. */
const OVERHEAD_BUCKETS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] as const;

interface Histogram {
  readonly counts: number[];
  sum: number;
  count: number;
}

/** Everything counted for one alias label: one map lookup per request, no key strings built. */
interface AliasCounters {
  /** Requests by HTTP status. */
  readonly requests: Map<number, number>;
  readonly durations: Histogram;
  promptTokens: number;
  completionTokens: number;
}

export class RequestMetrics {
  private readonly byAlias = new Map<string, AliasCounters>();
  private readonly overhead: Histogram = { counts: OVERHEAD_BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 };

  constructor(private readonly knownAliases: ReadonlySet<string>) {}

  record(alias: string | undefined, status: number, seconds: number, promptTokens?: number, completionTokens?: number): void {
    const label = alias !== undefined && this.knownAliases.has(alias) ? alias : '(other)';
    let counters = this.byAlias.get(label);
    if (counters === undefined) {
      counters = { requests: new Map(), durations: { counts: BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 }, promptTokens: 0, completionTokens: 0 };
      this.byAlias.set(label, counters);
    }
    counters.requests.set(status, (counters.requests.get(status) ?? 0) + 1);
    const histogram = counters.durations;
    for (let i = 0; i < BUCKETS_SECONDS.length; i++) if (seconds <= BUCKETS_SECONDS[i]) histogram.counts[i] += 1;
    histogram.sum += seconds;
    histogram.count += 1;
    if (promptTokens) counters.promptTokens += promptTokens;
    if (completionTokens) counters.completionTokens += completionTokens;
  }

  /** The gateway's own time of one model request (`http/overhead.ts`), in milliseconds. */
  recordOverhead(ms: number): void {
    const seconds = ms / 1000;
    const h = this.overhead;
    for (let i = 0; i < OVERHEAD_BUCKETS_SECONDS.length; i++) if (seconds <= OVERHEAD_BUCKETS_SECONDS[i]) h.counts[i] += 1;
    h.sum += seconds;
    h.count += 1;
  }

  render(lines: string[]): void {
    lines.push('# HELP rainymodel_requests_total Chat completion requests answered, by alias and HTTP status.', '# TYPE rainymodel_requests_total counter');
    for (const [alias, counters] of this.byAlias) {
      for (const [status, value] of counters.requests) lines.push(`rainymodel_requests_total{alias="${escapeLabel(alias)}",status="${status}"} ${value}`);
    }
    lines.push('# HELP rainymodel_request_duration_seconds Time to answer a chat completion (to the last byte), by alias.', '# TYPE rainymodel_request_duration_seconds histogram');
    for (const [alias, { durations: h }] of this.byAlias) {
      const a = escapeLabel(alias);
      BUCKETS_SECONDS.forEach((le, i) => lines.push(`rainymodel_request_duration_seconds_bucket{alias="${a}",le="${le}"} ${h.counts[i]}`));
      lines.push(`rainymodel_request_duration_seconds_bucket{alias="${a}",le="+Inf"} ${h.count}`);
      lines.push(`rainymodel_request_duration_seconds_sum{alias="${a}"} ${h.sum}`);
      lines.push(`rainymodel_request_duration_seconds_count{alias="${a}"} ${h.count}`);
    }
    const o = this.overhead;
    lines.push('# HELP rainymodel_overhead_seconds Time model requests spent in the gateway itself, before their answer\'s headers, excluding upstream waits.', '# TYPE rainymodel_overhead_seconds histogram');
    OVERHEAD_BUCKETS_SECONDS.forEach((le, i) => lines.push(`rainymodel_overhead_seconds_bucket{le="${le}"} ${o.counts[i]}`));
    lines.push(`rainymodel_overhead_seconds_bucket{le="+Inf"} ${o.count}`, `rainymodel_overhead_seconds_sum ${o.sum}`, `rainymodel_overhead_seconds_count ${o.count}`);
    lines.push('# HELP rainymodel_tokens_total Tokens the upstreams reported, by alias and kind.', '# TYPE rainymodel_tokens_total counter');
    for (const [alias, counters] of this.byAlias) {
      const a = escapeLabel(alias);
      if (counters.promptTokens > 0) lines.push(`rainymodel_tokens_total{alias="${a}",kind="prompt"} ${counters.promptTokens}`);
      if (counters.completionTokens > 0) lines.push(`rainymodel_tokens_total{alias="${a}",kind="completion"} ${counters.completionTokens}`);
    }
  }
}

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
