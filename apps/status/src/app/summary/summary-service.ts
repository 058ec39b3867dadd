/**
 * Builds the status snapshot from Postgres and caches it for `page.cache` (5 s by default), so
 * a burst of visitors costs one set of queries, not one per request. Any replica can serve it:
 * everything comes from the database the leader writes. Uptime over 24 h comes from the
 * hourly roll-ups, over 7 d from a sum of them in SQL, over 30 d and 90 d from the daily ones.
 */
import type { PrismaClient } from '@orcest/db';
import {
  DAY_MS,
  HOUR_MS,
  bucketStart,
  dailyBars,
  groupStatus,
  isHealthStatus,
  pageStatus,
  responseSeries,
  slug,
  statusSince,
  uptime,
  windowBuckets,
  type HealthStatus,
  type RollupRow,
  type StatusConfig,
} from '@orcest/monitoring';
import type { Clock } from '../clock';
import { maintenanceStart, type IncidentStore } from '../store/incident-store';
import type { ComponentView, GroupView, StatusSnapshot } from './status-snapshot';

interface RollupQueryRow {
  component_id: string;
  period: 'hour' | 'day';
  bucket: Date;
  count: number;
  successes: number;
  maintenance: number;
  response_sum_ms: bigint | number;
  response_min_ms: number;
  response_max_ms: number;
  response_histogram: number[] | null;
}

interface SumRow {
  component_id: string;
  count: bigint | number;
  successes: bigint | number;
  maintenance: bigint | number;
}

export class SummaryService {
  private cached: { at: number; snapshot: StatusSnapshot } | undefined;
  private building: Promise<StatusSnapshot> | undefined;

  constructor(
    private readonly config: StatusConfig,
    private readonly prisma: PrismaClient,
    private readonly incidents: IncidentStore,
    private readonly clock: Clock,
  ) {}

  async snapshot(): Promise<StatusSnapshot> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < this.config.page.cacheMs && now >= this.cached.at) return this.cached.snapshot;
    this.building ??= this.build(now)
      .then((snapshot) => {
        this.cached = { at: now, snapshot };
        return snapshot;
      })
      .finally(() => (this.building = undefined));
    return this.building;
  }

  /** The last snapshot built, however old (names and page status for notifications); none before the first. */
  lastKnown(): StatusSnapshot | undefined {
    return this.cached?.snapshot;
  }

  /** Drops the cache (after an admin change, so the operator sees it at once). */
  invalidate(): void {
    if (this.cached) this.cached = { at: -Infinity, snapshot: this.cached.snapshot };
  }

  private async build(now: number): Promise<StatusSnapshot> {
    const dayFrom = new Date(bucketStart('day', now) - 89 * DAY_MS);
    const hourFrom = new Date(bucketStart('hour', now) - 23 * HOUR_MS);
    const weekFrom = new Date(windowBuckets('7d', now).from);
    const [states, rollups, week, incidents, maintenances, recentMaintenances] = await Promise.all([
      this.prisma.statusComponentState.findMany(),
      this.prisma.$queryRawUnsafe<RollupQueryRow[]>(
        `SELECT component_id, period, bucket, count, successes, maintenance, response_sum_ms, response_min_ms, response_max_ms, response_histogram
         FROM status_rollups WHERE (period = 'day' AND bucket >= $1) OR (period = 'hour' AND bucket >= $2)`,
        dayFrom,
        hourFrom,
      ),
      this.prisma.$queryRawUnsafe<SumRow[]>(
        `SELECT component_id, sum(count) AS count, sum(successes) AS successes, sum(maintenance) AS maintenance
         FROM status_rollups WHERE period = 'hour' AND bucket >= $1 GROUP BY component_id`,
        weekFrom,
      ),
      this.incidents.recent(50),
      this.incidents.currentMaintenances(new Date(now)),
      this.incidents.recentMaintenances(20),
    ]);
    const rowsByComponent = new Map<string, RollupRow[]>();
    for (const r of rollups) {
      const list = rowsByComponent.get(r.component_id) ?? [];
      list.push({
        period: r.period,
        bucket: r.bucket.getTime(),
        count: r.count,
        successes: r.successes,
        maintenance: r.maintenance,
        responseSumMs: Number(r.response_sum_ms),
        responseMinMs: r.response_min_ms,
        responseMaxMs: r.response_max_ms,
        histogram: r.response_histogram ?? [],
      });
      rowsByComponent.set(r.component_id, list);
    }
    const weekBy = new Map(week.map((w) => [w.component_id, w]));
    const stateBy = new Map(states.map((s) => [s.componentId, s]));

    const entries: { id: string; name: string; description: string | null; group: string }[] = [
      ...this.config.monitors.map((m) => ({ id: m.id, name: m.name, description: m.description, group: m.group ?? 'Services' })),
      ...this.config.gateways.flatMap((gw) =>
        states
          .filter((s) => s.discovered && s.componentId.startsWith(`${gw.id}.`))
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((s) => ({ id: s.componentId, name: s.name, description: `LLM upstream behind ${gw.name.replace(/ upstreams$/i, '')}`, group: gw.name })),
      ),
    ];
    const components: ComponentView[] = entries.map((entry, position) => {
      const state = stateBy.get(entry.id);
      // No row, or a row whose checks have not settled a status: no data, never "operational".
      const health: HealthStatus | null = state && state.status !== null && isHealthStatus(state.status) ? state.status : null;
      const maintenanceFrom = maintenanceStart(maintenances, entry.id, now);
      const rows = rowsByComponent.get(entry.id) ?? [];
      const w = weekBy.get(entry.id);
      const weekCount = Number(w?.count ?? 0);
      const weekSuccesses = Number(w?.successes ?? 0);
      return {
        id: entry.id,
        name: entry.name,
        description: entry.description,
        groupId: groupId(entry.group),
        position: position + 1,
        status: maintenanceFrom !== undefined ? 'under_maintenance' : (health ?? 'no_data'),
        health,
        since: new Date(maintenanceFrom ?? (health === null ? (state?.createdAt.getTime() ?? now) : state?.lastChangedAt.getTime() ?? now)),
        createdAt: state?.createdAt ?? new Date(now),
        updatedAt: state?.lastChangedAt ?? new Date(now),
        lastCheckedAt: state?.lastCheckedAt ?? null,
        lastResponseMs: state?.lastResponseMs ?? null,
        lastError: state?.lastError ?? null,
        uptime: {
          '24h': uptime(rows, '24h', now),
          '7d': { ratio: weekCount === 0 ? null : weekSuccesses / weekCount, checks: weekCount, failures: weekCount - weekSuccesses, maintenanceChecks: Number(w?.maintenance ?? 0) },
          '30d': uptime(rows, '30d', now),
          '90d': uptime(rows, '90d', now),
        },
        bars: dailyBars(rows, now),
        response: responseSeries(rows, now),
      };
    });
    const groups: GroupView[] = this.config.groups.map((name, i) => {
      const members = components.filter((c) => c.groupId === groupId(name));
      const since = statusSince(members.map((c) => ({ status: c.status, since: c.since.getTime() })));
      return { id: groupId(name), name, position: i + 1, status: groupStatus(members.map((c) => c.status)), since: since === undefined ? null : new Date(since), components: members };
    });
    const pageSince = statusSince(components.map((c) => ({ status: c.status, since: c.since.getTime() })));
    return {
      generatedAt: new Date(now),
      page: { id: this.config.page.id, name: this.config.page.name, url: this.config.page.url },
      status: pageStatus(components.map((c) => c.status)),
      statusSince: pageSince === undefined ? null : new Date(pageSince),
      withoutData: components.filter((c) => c.status === 'no_data').length,
      groups: groups.filter((g) => g.components.length > 0),
      components,
      incidents,
      maintenances,
      recentMaintenances,
    };
  }
}

/** Groups are components too in Statuspage's API; the prefix keeps their ids apart. */
function groupId(name: string): string {
  return `group-${slug(name)}`;
}
