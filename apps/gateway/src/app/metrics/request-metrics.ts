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

export class RequestMetrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, Histogram>();
  private readonly tokens = new Map<string, number>();
  private readonly overhead: Histogram = { counts: OVERHEAD_BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 };

  constructor(private readonly knownAliases: ReadonlySet<string>) {}

  record(alias: string | undefined, status: number, seconds: number, promptTokens?: number, completionTokens?: number): void {
    const label = alias !== undefined && this.knownAliases.has(alias) ? alias : '(other)';
    const key = `${label}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let histogram = this.durations.get(label);
    if (!histogram) {
      histogram = { counts: BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 };
      this.durations.set(label, histogram);
    }
    for (let i = 0; i < BUCKETS_SECONDS.length; i++) if (seconds <= BUCKETS_SECONDS[i]) histogram.counts[i] += 1;
    histogram.sum += seconds;
    histogram.count += 1;
    if (promptTokens) this.tokens.set(`${label}\u0000prompt`, (this.tokens.get(`${label}\u0000prompt`) ?? 0) + promptTokens);
    if (completionTokens) this.tokens.set(`${label}\u0000completion`, (this.tokens.get(`${label}\u0000completion`) ?? 0) + completionTokens);
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
    for (const [key, value] of this.requests) {
      const [alias, status] = key.split('\u0000');
      lines.push(`rainymodel_requests_total{alias="${escapeLabel(alias)}",status="${status}"} ${value}`);
    }
    lines.push('# HELP rainymodel_request_duration_seconds Time to answer a chat completion (to the last byte), by alias.', '# TYPE rainymodel_request_duration_seconds histogram');
    for (const [alias, h] of this.durations) {
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
    for (const [key, value] of this.tokens) {
      const [alias, kind] = key.split('\u0000');
      lines.push(`rainymodel_tokens_total{alias="${escapeLabel(alias)}",kind="${kind}"} ${value}`);
    }
  }
}

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
