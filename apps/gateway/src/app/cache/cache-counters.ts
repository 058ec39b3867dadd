/**
 * What the response cache did with each request, per alias: hit, miss, stale or skip — the
 * `rainymodel_cache_requests_total` counters of /metrics. Owned by the gateway context, not by a
 * routing table: a config reload builds a new ResponseCache, and Prometheus counters may only
 * go back to zero when the process restarts. An alias a reload removed keeps its last figures.
 */
import { escapeLabel } from '../metrics/request-metrics';

/** What `x-rainymodel-cache` says on an answer of a cached alias. */
export type CacheVerdict = 'hit' | 'miss' | 'stale' | 'skip';
const VERDICTS: readonly CacheVerdict[] = ['hit', 'miss', 'stale', 'skip'];

export class CacheCounters {
  private readonly counts = new Map<string, number[]>();

  /** One request's outcome, once; aliases are configured names (the caller resolved the alias), so labels stay bounded. */
  count(alias: string, verdict: CacheVerdict): void {
    let counts = this.counts.get(alias);
    if (counts === undefined) {
      counts = [0, 0, 0, 0];
      this.counts.set(alias, counts);
    }
    counts[VERDICTS.indexOf(verdict)] += 1;
  }

  render(lines: string[]): void {
    lines.push('# HELP rainymodel_cache_requests_total Chat requests of cached aliases, by what the response cache did: hit, miss, stale (served expired: every upstream failed) or skip.', '# TYPE rainymodel_cache_requests_total counter');
    for (const [alias, counts] of this.counts) {
      VERDICTS.forEach((verdict, i) => lines.push(`rainymodel_cache_requests_total{alias="${escapeLabel(alias)}",result="${verdict}"} ${counts[i]}`));
    }
  }
}
