/**
 * Gateway usage as the account pages, the account API, the CLI and the admin usage views show
 * it: requests, tokens, cost, errors and cache hits summed per UTC day, per model (alias and
 * serving deployment), per API key or per user, over a time range.
 *
 * Read from the daily roll-ups (`usage_daily`, kept by a trigger as the gateway writes
 * `usage_records`), so a page costs a few dozen rows per user and day whatever the traffic
 * (measured with a million raw records: apps/login/src/e2e/usage-ledger-scale.e2e-spec.ts).
 * Whole UTC days come from the roll-ups; only the parts of a day at the ends of a range given
 * to the second (the account API accepts date-times) come from the raw records, through their
 * `(user_id, at)` / `(at)` indexes — and only while those are kept (USAGE_RAW_RETENTION_DAYS).
 *
 * A scope is one user's id (every account query) or `ALL_USERS` (the admin views only): a
 * symbol, so no null or empty id can widen an account query to everyone's usage.
 */
import { Prisma, type PrismaClient } from '@orcest/db';

/** What the account pages and the account API group by. */
export type UsageGrouping = 'day' | 'model' | 'key';
/** The admin views group by user too. */
export type AdminUsageGrouping = UsageGrouping | 'user';

export const ALL_USERS: unique symbol = Symbol('all users');
export type UsageScope = string | typeof ALL_USERS;

export interface UsageRange {
  /** Inclusive. */
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
}

export interface UsageTotals {
  readonly requests: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Sum of the priced requests' cost; requests without a price count nowhere. */
  readonly costUsd: number;
  /** Requests whose deployment had no price (their cost is unknown, not zero). */
  readonly unpriced: number;
  /** Requests answered with status 400 or more. */
  readonly errors: number;
  /** Requests answered from the gateway's response cache (0 until usage records carry `cache_hit`). */
  readonly cacheHits: number;
}

export interface UsageRow extends UsageTotals {
  /** `YYYY-MM-DD` (day), alias (model), the key id (key) or the user id (user); null = none (no key, no user). */
  readonly group: string | null;
  /** model: the serving deployment; key: the key's name and prefix; user: the user's email. */
  readonly label?: string;
}

export const DAY_MS = 24 * 3600 * 1000;
/** The longest range one request may ask for (the roll-ups are kept 400 days by default). */
export const MAX_RANGE_DAYS = 400;

export const NO_USAGE: UsageTotals = Object.freeze({ requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, unpriced: 0, errors: 0, cacheHits: 0 });

interface RawRow {
  readonly grp: string | null;
  readonly label: string | null;
  readonly requests: number | null;
  readonly prompt: number | null;
  readonly completion: number | null;
  readonly cost: number | null;
  readonly unpriced: number | null;
  readonly errors: number | null;
  readonly cache_hits: number | null;
}

function totalsOf(r: RawRow): UsageTotals {
  return {
    requests: r.requests ?? 0,
    promptTokens: r.prompt ?? 0,
    completionTokens: r.completion ?? 0,
    costUsd: r.cost ?? 0,
    unpriced: r.unpriced ?? 0,
    errors: r.errors ?? 0,
    cacheHits: r.cache_hits ?? 0,
  };
}

/** Midnight UTC of the day `at` falls in. */
export function utcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** The last `days` UTC days, today included. */
export function lastDays(now: Date, days: number): UsageRange {
  const end = new Date(utcDay(now).getTime() + DAY_MS);
  return { from: new Date(end.getTime() - days * DAY_MS), to: end };
}

/** The calendar month (UTC) `now` falls in, through today: what budgets count. */
export function monthToDate(now: Date): UsageRange {
  return { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), to: new Date(utcDay(now).getTime() + DAY_MS) };
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

const SUMS = Prisma.sql`sum(f.requests)::int AS requests, sum(f.prompt)::float8 AS prompt, sum(f.completion)::float8 AS completion,
  sum(f.cost)::float8 AS cost, sum(f.unpriced)::int AS unpriced, sum(f.errors)::int AS errors, sum(f.cache_hits)::int AS cache_hits`;

export class UsageReport {
  constructor(private readonly prisma: PrismaClient) {}

  async totals(scope: UsageScope, range: UsageRange): Promise<UsageTotals> {
    const [row] = await this.prisma.$queryRaw<RawRow[]>`
      WITH f AS (${this.facts(scope, range)}) SELECT NULL AS grp, NULL AS label, ${SUMS} FROM f`;
    return row ? totalsOf(row) : NO_USAGE;
  }

  /**
   * Rows per group, the costliest first (at most `limit`); for `day` every day of the range is
   * present, oldest first (zeros where nothing ran).
   */
  async grouped(scope: UsageScope, range: UsageRange, by: AdminUsageGrouping, limit = 200): Promise<UsageRow[]> {
    if (by === 'day') return this.perDay(scope, range);
    const facts = this.facts(scope, range);
    const order = Prisma.sql`ORDER BY sum(f.cost) DESC NULLS LAST, sum(f.requests) DESC, 1 LIMIT ${limit}`;
    let rows: RawRow[];
    if (by === 'model') {
      rows = await this.prisma.$queryRaw<RawRow[]>`
        WITH f AS (${facts}) SELECT f.alias AS grp, coalesce(f.upstream, '') AS label, ${SUMS} FROM f GROUP BY f.alias, f.upstream ${order}`;
    } else if (by === 'key') {
      rows = await this.prisma.$queryRaw<RawRow[]>`
        WITH f AS (${facts})
        SELECT f.api_key_id::text AS grp, CASE WHEN k.id IS NULL THEN NULL ELSE k.name || ' (' || k.prefix || '…)' END AS label, ${SUMS}
        FROM f LEFT JOIN api_keys k ON k.id = f.api_key_id GROUP BY f.api_key_id, k.id, k.name, k.prefix ${order}`;
    } else {
      rows = await this.prisma.$queryRaw<RawRow[]>`
        WITH f AS (${facts})
        SELECT f.user_id::text AS grp, u.email AS label, ${SUMS}
        FROM f LEFT JOIN users u ON u.id = f.user_id GROUP BY f.user_id, u.email ${order}`;
    }
    return rows.map((r) => ({ group: r.grp, ...(r.label ? { label: r.label } : {}), ...totalsOf(r) }));
  }

  private async perDay(scope: UsageScope, range: UsageRange): Promise<UsageRow[]> {
    const rows = await this.prisma.$queryRaw<RawRow[]>`
      WITH f AS (${this.facts(scope, range)})
      SELECT to_char(f.day, 'YYYY-MM-DD') AS grp, NULL AS label, ${SUMS} FROM f GROUP BY f.day ORDER BY f.day`;
    const found = new Map(rows.map((r) => [r.grp, r]));
    const out: UsageRow[] = [];
    for (let t = utcDay(range.from).getTime(); t < range.to.getTime(); t += DAY_MS) {
      const day = isoDay(new Date(t));
      const row = found.get(day);
      out.push(row ? { group: day, ...totalsOf(row) } : { group: day, ...NO_USAGE });
    }
    return out;
  }

  /**
   * The usage facts of a scope and range, one shape whatever their source: the roll-ups of the
   * whole UTC days inside the range, plus the raw records of the partial days at its ends.
   */
  private facts(scope: UsageScope, range: UsageRange): Prisma.Sql {
    const who = scope === ALL_USERS ? Prisma.sql`TRUE` : Prisma.sql`user_id = ${scope}::uuid`;
    const firstWholeDay = new Date(Math.ceil(range.from.getTime() / DAY_MS) * DAY_MS);
    const endOfWholeDays = utcDay(range.to);
    const raw = (from: Date, to: Date): Prisma.Sql => Prisma.sql`
      SELECT (at AT TIME ZONE 'UTC')::date AS day, user_id, api_key_id, alias, upstream, 1 AS requests,
        coalesce(prompt_tokens, 0)::bigint AS prompt, coalesce(completion_tokens, 0)::bigint AS completion, coalesce(cost_usd, 0) AS cost,
        (cost_usd IS NULL)::int AS unpriced, (status >= 400)::int AS errors, 0 AS cache_hits
      FROM usage_records WHERE ${who} AND at >= ${from} AND at < ${to}`;
    if (firstWholeDay.getTime() >= endOfWholeDays.getTime()) return raw(range.from, range.to);
    const parts = [
      Prisma.sql`
      SELECT day, user_id, api_key_id, alias, upstream, requests, prompt_tokens AS prompt, completion_tokens AS completion, cost_usd AS cost,
        unpriced_requests AS unpriced, errors, cache_hits
      FROM usage_daily WHERE ${who} AND day >= ${isoDay(firstWholeDay)}::date AND day < ${isoDay(endOfWholeDays)}::date`,
    ];
    if (range.from.getTime() < firstWholeDay.getTime()) parts.push(raw(range.from, firstWholeDay));
    if (endOfWholeDays.getTime() < range.to.getTime()) parts.push(raw(endOfWholeDays, range.to));
    return Prisma.join(parts, ' UNION ALL ');
  }
}
