/**
 * The three batched statements of a history flush, each one `unnest` over column arrays so a
 * flush costs three statements whatever the number of monitors: raw checks, roll-up upserts
 * (adding into the hour/day buckets), component states (last write wins).
 */
import type { PrismaClient } from '@orcest/db';
import type { HealthStatus, RollupDelta } from '@orcest/monitoring';

export interface RecordedCheck {
  readonly componentId: string;
  readonly at: number;
  readonly ok: boolean;
  readonly maintenance: boolean;
  readonly responseMs: number;
  readonly httpStatus: number | null;
  /** The raw failure detail (admin only). */
  readonly error: string | null;
}

export interface ComponentStateRow {
  readonly componentId: string;
  readonly name: string;
  readonly groupName: string | null;
  readonly discovered: boolean;
  /** Null: no status settled yet ("no data"). */
  readonly status: HealthStatus | null;
  readonly candidate: HealthStatus | null;
  readonly streak: number;
  readonly lastCheckedAt: number;
  readonly lastChangedAt: number;
  readonly lastResponseMs: number | null;
  /** The raw failure detail (admin only). */
  readonly lastError: string | null;
}

/** What the statements need of a client: the whole client or an interactive transaction's. */
export type SqlRunner = Pick<PrismaClient, '$executeRawUnsafe'>;

export function insertChecks(sql: SqlRunner, checks: readonly RecordedCheck[]): Promise<number> {
  return sql.$executeRawUnsafe(
    `INSERT INTO status_checks (component_id, at, ok, maintenance, response_ms, http_status, error)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::boolean[], $4::boolean[], $5::int[], $6::int[], $7::text[])`,
    checks.map((c) => c.componentId),
    checks.map((c) => new Date(c.at)),
    checks.map((c) => c.ok),
    checks.map((c) => c.maintenance),
    checks.map((c) => c.responseMs),
    checks.map((c) => c.httpStatus),
    checks.map((c) => c.error),
  );
}

/**
 * Histograms travel as `{1,2,3}` text: `unnest` of a two-dimensional array would flatten it.
 * The element-wise sum pads the shorter array (a row from before histograms) with zeros.
 */
export function upsertRollups(sql: SqlRunner, rollups: readonly RollupDelta[]): Promise<number> {
  return sql.$executeRawUnsafe(
    `INSERT INTO status_rollups AS r (component_id, period, bucket, count, successes, maintenance, response_sum_ms, response_min_ms, response_max_ms, response_histogram)
     SELECT c, p, b, n, s, m, sm, mn, mx, h::int[]
     FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::int[], $9::int[], $10::text[]) AS u(c, p, b, n, s, m, sm, mn, mx, h)
     ON CONFLICT (component_id, period, bucket) DO UPDATE SET
       count = r.count + EXCLUDED.count,
       successes = r.successes + EXCLUDED.successes,
       maintenance = r.maintenance + EXCLUDED.maintenance,
       response_sum_ms = r.response_sum_ms + EXCLUDED.response_sum_ms,
       response_min_ms = LEAST(r.response_min_ms, EXCLUDED.response_min_ms),
       response_max_ms = GREATEST(r.response_max_ms, EXCLUDED.response_max_ms),
       response_histogram = ARRAY(
         SELECT coalesce(a, 0) + coalesce(x, 0)
         FROM unnest(coalesce(r.response_histogram, '{}'), EXCLUDED.response_histogram) WITH ORDINALITY AS t(a, x, i) ORDER BY i)`,
    rollups.map((r) => r.componentId),
    rollups.map((r) => r.period),
    rollups.map((r) => new Date(r.bucket)),
    rollups.map((r) => r.count),
    rollups.map((r) => r.successes),
    rollups.map((r) => r.maintenance),
    rollups.map((r) => r.responseSumMs),
    rollups.map((r) => r.responseMinMs),
    rollups.map((r) => r.responseMaxMs),
    rollups.map((r) => `{${r.histogram.join(',')}}`),
  );
}

export function upsertStates(sql: SqlRunner, states: readonly ComponentStateRow[]): Promise<number> {
  return sql.$executeRawUnsafe(
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
  );
}
