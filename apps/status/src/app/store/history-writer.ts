/**
 * The checker's write path: results wait in memory and are written once per flush interval
 * as three statements (raw checks, roll-up upserts, component states), whatever the number of
 * monitors — 1,000 monitors at 30 s cost one small transaction a second, not 100 statements.
 * Memory is bounded: at most one pending state per component and one roll-up delta per
 * (component, period, bucket); raw rows beyond `maxPendingChecks` are dropped (counted).
 */
import type { PrismaClient } from '@orcest/db';
import { RollupBatch, type CheckSample, type HealthStatus } from '@orcest/monitoring';

export interface RecordedCheck extends CheckSample {
  readonly httpStatus: number | null;
  readonly error: string | null;
}

export interface ComponentStateRow {
  readonly componentId: string;
  readonly name: string;
  readonly groupName: string | null;
  readonly discovered: boolean;
  readonly status: HealthStatus;
  readonly candidate: HealthStatus | null;
  readonly streak: number;
  readonly lastCheckedAt: number;
  readonly lastChangedAt: number;
  readonly lastResponseMs: number | null;
  readonly lastError: string | null;
}

export class HistoryWriter {
  private checks: RecordedCheck[] = [];
  private rollups = new RollupBatch();
  private states = new Map<string, ComponentStateRow>();
  private flushing: Promise<void> | undefined;
  dropped = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxPendingChecks = 50_000,
  ) {}

  record(check: RecordedCheck, state: ComponentStateRow): void {
    if (this.checks.length < this.maxPendingChecks) this.checks.push(check);
    else this.dropped++;
    this.rollups.add(check);
    this.states.set(state.componentId, state);
  }

  /** Writes what is pending; concurrent calls share one flush. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.checks.length === 0 && this.states.size === 0) return;
    const checks = this.checks;
    const rollups = this.rollups.drain();
    const states = [...this.states.values()];
    this.checks = [];
    this.states = new Map();
    try {
      await this.prisma.$transaction([
        this.prisma.$executeRawUnsafe(
          `INSERT INTO status_checks (component_id, at, ok, maintenance, response_ms, http_status, error)
           SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::boolean[], $4::boolean[], $5::int[], $6::int[], $7::text[])`,
          checks.map((c) => c.componentId),
          checks.map((c) => new Date(c.at)),
          checks.map((c) => c.ok),
          checks.map((c) => c.maintenance),
          checks.map((c) => c.responseMs),
          checks.map((c) => c.httpStatus),
          checks.map((c) => c.error),
        ),
        this.prisma.$executeRawUnsafe(
          `INSERT INTO status_rollups AS r (component_id, period, bucket, count, successes, maintenance, response_sum_ms, response_min_ms, response_max_ms)
           SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::int[], $9::int[])
           ON CONFLICT (component_id, period, bucket) DO UPDATE SET
             count = r.count + EXCLUDED.count,
             successes = r.successes + EXCLUDED.successes,
             maintenance = r.maintenance + EXCLUDED.maintenance,
             response_sum_ms = r.response_sum_ms + EXCLUDED.response_sum_ms,
             response_min_ms = LEAST(r.response_min_ms, EXCLUDED.response_min_ms),
             response_max_ms = GREATEST(r.response_max_ms, EXCLUDED.response_max_ms)`,
          rollups.map((r) => r.componentId),
          rollups.map((r) => r.period),
          rollups.map((r) => new Date(r.bucket)),
          rollups.map((r) => r.count),
          rollups.map((r) => r.successes),
          rollups.map((r) => r.maintenance),
          rollups.map((r) => r.responseSumMs),
          rollups.map((r) => r.responseMinMs),
          rollups.map((r) => r.responseMaxMs),
        ),
        this.prisma.$executeRawUnsafe(
          `INSERT INTO status_component_states AS s (component_id, name, group_name, discovered, status, candidate, streak, last_checked_at, last_changed_at, last_response_ms, last_error)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::int[], $8::timestamptz[], $9::timestamptz[], $10::int[], $11::text[])
           ON CONFLICT (component_id) DO UPDATE SET
             name = EXCLUDED.name, group_name = EXCLUDED.group_name, discovered = EXCLUDED.discovered,
             status = EXCLUDED.status, candidate = EXCLUDED.candidate, streak = EXCLUDED.streak,
             last_checked_at = EXCLUDED.last_checked_at, last_changed_at = EXCLUDED.last_changed_at,
             last_response_ms = EXCLUDED.last_response_ms, last_error = EXCLUDED.last_error`,
          states.map((s) => s.componentId),
          states.map((s) => s.name),
          states.map((s) => s.groupName),
          states.map((s) => s.discovered),
          states.map((s) => s.status),
          states.map((s) => s.candidate),
          states.map((s) => s.streak),
          states.map((s) => new Date(s.lastCheckedAt)),
          states.map((s) => new Date(s.lastChangedAt)),
          states.map((s) => s.lastResponseMs),
          states.map((s) => s.lastError),
        ),
      ]);
    } catch (error) {
      // The database is away: keep the roll-ups (small, bounded by components × buckets) for
      // the next flush, drop the raw rows (they are only kept for a day anyway).
      for (const delta of rollups) this.rollups.merge(delta);
      for (const state of states) if (!this.states.has(state.componentId)) this.states.set(state.componentId, state);
      this.dropped += checks.length;
      throw error;
    }
  }

  /** Drops history older than each table's retention. */
  async prune(now: number, retention: { rawMs: number; hourlyMs: number; dailyMs: number }): Promise<void> {
    await this.prisma.$executeRawUnsafe(`DELETE FROM status_checks WHERE at < $1`, new Date(now - retention.rawMs));
    await this.prisma.$executeRawUnsafe(`DELETE FROM status_rollups WHERE period = 'hour' AND bucket < $1`, new Date(now - retention.hourlyMs));
    await this.prisma.$executeRawUnsafe(`DELETE FROM status_rollups WHERE period = 'day' AND bucket < $1`, new Date(now - retention.dailyMs));
  }

  /** Forgets discovered components (gateway deployments) that are no longer reported. */
  async forgetComponents(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const id of ids) this.states.delete(id);
    await this.prisma.$executeRawUnsafe(`DELETE FROM status_component_states WHERE discovered AND component_id = ANY($1::text[])`, [...ids]);
  }
}
