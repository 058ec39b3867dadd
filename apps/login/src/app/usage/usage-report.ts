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
 * Everyone's usage (the admin views) grouped by day, user or model reads the narrow roll-ups
 * instead — `usage_daily_users` (day × user) and `usage_daily_models` (day × alias × deployment),
 * kept by the same trigger in the same transaction — so it sums ~1 row per active user and day,
 * not every bucket of the period.
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
  /** Requests answered from the gateway's response cache. */
  readonly cacheHits: number;
}

export interface UsageRow extends UsageTotals {
  /** `YYYY-MM-DD` (day), alias (model), the key id (key) or the user id (user); null = none (no key, no user). */
  readonly group: string | null;
  /** model: the serving deployment; key: the key's name and prefix; user: the user's email. */
  readonly label?: string;
}

export interface UsageBreakdown {
  readonly totals: UsageTotals;
  /** Every day of the range, oldest first. */
  readonly perDay: readonly UsageRow[];
  /** Alias, with the serving deployment as the label. */
  readonly perModel: readonly UsageRow[];
  /** User id, with the email as the label (group null: no user, the master key or open). */
  readonly perUser: readonly UsageRow[];
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

/**
 * A roll-up table and the dimensions it keeps; the facts read from it carry NULL for the others.
 * One user's usage always reads `usage_daily` (by its `(user_id, day)` index); the narrow tables
 * sum everyone.
 */
type Dimension = 'user_id' | 'api_key_id' | 'alias' | 'upstream';
interface Rollup {
  readonly table: Prisma.Sql;
  readonly keeps: readonly Dimension[];
}
const EVERY_BUCKET: Rollup = { table: Prisma.sql`usage_daily`, keeps: ['user_id', 'api_key_id', 'alias', 'upstream'] };
const PER_USER: Rollup = { table: Prisma.sql`usage_daily_users`, keeps: ['user_id'] };
const PER_MODEL: Rollup = { table: Prisma.sql`usage_daily_models`, keeps: ['alias', 'upstream'] };

/** The narrowest roll-up that answers a scope grouped by `needs` (besides the day). */
function rollupFor(scope: UsageScope, needs: readonly Dimension[]): Rollup {
  if (scope !== ALL_USERS) return EVERY_BUCKET;
  return [PER_MODEL, PER_USER].find((r) => needs.every((d) => r.keeps.includes(d))) ?? EVERY_BUCKET;
}

const SUMS = Prisma.sql`sum(f.requests)::int AS requests, sum(f.prompt)::float8 AS prompt, sum(f.completion)::float8 AS completion,
  sum(f.cost)::float8 AS cost, sum(f.unpriced)::int AS unpriced, sum(f.errors)::int AS errors, sum(f.cache_hits)::int AS cache_hits`;

export class UsageReport {
  constructor(private readonly prisma: PrismaClient) {}

  async totals(scope: UsageScope, range: UsageRange): Promise<UsageTotals> {
    const [row] = await this.prisma.$queryRaw<RawRow[]>`
      WITH f AS (${this.facts(scope, range, rollupFor(scope, []))}) SELECT NULL AS grp, NULL AS label, ${SUMS} FROM f`;
    return row ? totalsOf(row) : NO_USAGE;
  }

  /**
   * Rows per group, the costliest first (at most `limit`); for `day` every day of the range is
   * present, oldest first (zeros where nothing ran).
   */
  async grouped(scope: UsageScope, range: UsageRange, by: AdminUsageGrouping, limit = 200): Promise<UsageRow[]> {
    if (by === 'day') return this.perDay(scope, range);
    const facts = this.facts(scope, range, rollupFor(scope, by === 'model' ? ['alias', 'upstream'] : by === 'key' ? ['api_key_id'] : ['user_id']));
    const order = Prisma.sql`ORDER BY sum(f.cost) DESC NULLS LAST, sum(f.requests) DESC, 1 LIMIT ${limit}`;
    let rows: RawRow[];
    if (by === 'model') {
      rows = await this.prisma.$queryRaw<RawRow[]>`
        WITH f AS (${facts}) SELECT f.alias AS grp, coalesce(f.upstream, '') AS label, ${SUMS} FROM f GROUP BY f.alias, f.upstream ${order}`;
    } else if (by === 'key') {
      // Sum first, then name the few groups: joining before grouping sorts every fact row.
      rows = await this.prisma.$queryRaw<RawRow[]>`
        WITH f AS (${facts}), g AS (SELECT f.api_key_id AS id, ${SUMS} FROM f GROUP BY f.api_key_id ${order})
        SELECT g.id::text AS grp, CASE WHEN k.id IS NULL THEN NULL ELSE k.name || ' (' || k.prefix || '…)' END AS label, g.*
        FROM g LEFT JOIN api_keys k ON k.id = g.id ORDER BY g.cost DESC NULLS LAST, g.requests DESC, 1`;
    } else {
      rows = await this.prisma.$queryRaw<RawRow[]>`
        WITH f AS (${facts}), g AS (SELECT f.user_id AS id, ${SUMS} FROM f GROUP BY f.user_id ${order})
        SELECT g.id::text AS grp, u.email AS label, g.*
        FROM g LEFT JOIN users u ON u.id = g.id ORDER BY g.cost DESC NULLS LAST, g.requests DESC, 1`;
    }
    return rows.map((r) => ({ group: r.grp, ...(r.label ? { label: r.label } : {}), ...totalsOf(r) }));
  }

  /**
   * Totals, per day, per model and per user of one range in ONE pass over the facts (GROUPING
   * SETS): what a usage page shows, for the price of a single scan instead of four. Per model
   * and per user: the costliest `limit` first. Everyone's: two narrow passes instead, the days,
   * models and total from `usage_daily_models` and the users from `usage_daily_users`.
   */
  async breakdown(scope: UsageScope, range: UsageRange, limit = 200): Promise<UsageBreakdown> {
    type SetRow = RawRow & { set: number; upstream: string | null };
    // `set` is grouping(day, user_id, alias, upstream) whatever the pass. A pass may name only
    // its own grouping columns (in GROUPING() and the select list), so a narrow pass spells the
    // bits and columns it lacks as constants.
    const pass = (rollup: Rollup, columns: Prisma.Sql, sets: Prisma.Sql, tail = Prisma.empty): Promise<SetRow[]> => this.prisma.$queryRaw<SetRow[]>`
      WITH f AS (${this.facts(scope, range, rollup)})
      SELECT ${columns}, NULL AS label, ${SUMS} FROM f GROUP BY GROUPING SETS (${sets}) ${tail}`;
    const rows =
      scope === ALL_USERS
        ? (
            await Promise.all([
              pass(
                PER_MODEL,
                Prisma.sql`(grouping(f.day) * 8 + 4 + grouping(f.alias, f.upstream))::int AS set,
                  coalesce(to_char(f.day, 'YYYY-MM-DD'), f.alias) AS grp, coalesce(f.upstream, '') AS upstream`,
                Prisma.sql`(f.day), (f.alias, f.upstream), ()`,
              ),
              // One set: the costliest `limit` users picked in PostgreSQL, not every user sent over.
              pass(
                PER_USER,
                Prisma.sql`11 AS set, f.user_id::text AS grp, '' AS upstream`,
                Prisma.sql`(f.user_id)`,
                Prisma.sql`ORDER BY sum(f.cost) DESC NULLS LAST, sum(f.requests) DESC LIMIT ${limit}`,
              ),
            ])
          ).flat()
        : await pass(
            EVERY_BUCKET,
            Prisma.sql`grouping(f.day, f.user_id, f.alias, f.upstream)::int AS set,
              coalesce(to_char(f.day, 'YYYY-MM-DD'), f.user_id::text, f.alias) AS grp, coalesce(f.upstream, '') AS upstream`,
            Prisma.sql`(f.day), (f.user_id), (f.alias, f.upstream), ()`,
          );
    const costliest = (a: UsageRow, b: UsageRow): number => b.costUsd - a.costUsd || b.requests - a.requests;
    // grouping() sets a bit per argument NOT in the set: (day) = 0b0111, (user_id) = 0b1011, (alias, upstream) = 0b1100, () = 0b1111.
    const of = (set: number) => rows.filter((r) => r.set === set);
    const perModel = of(0b1100).map((r) => ({ group: r.grp, label: r.upstream ?? '', ...totalsOf(r) })).sort(costliest).slice(0, limit);
    const users = of(0b1011).map((r) => ({ group: r.grp, ...totalsOf(r) })).sort(costliest).slice(0, limit);
    const ids = users.flatMap((r) => (r.group ? [r.group] : []));
    const emails = ids.length ? await this.prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } }) : [];
    const emailOf = new Map(emails.map((u) => [u.id, u.email]));
    const perUser = users.map((r) => (r.group && emailOf.has(r.group) ? { ...r, label: emailOf.get(r.group) as string } : r));
    const total = of(0b1111)[0];
    return { totals: total ? totalsOf(total) : NO_USAGE, perDay: this.everyDay(range, of(0b0111)), perModel, perUser };
  }

  private async perDay(scope: UsageScope, range: UsageRange): Promise<UsageRow[]> {
    const rows = await this.prisma.$queryRaw<RawRow[]>`
      WITH f AS (${this.facts(scope, range, rollupFor(scope, []))})
      SELECT to_char(f.day, 'YYYY-MM-DD') AS grp, NULL AS label, ${SUMS} FROM f GROUP BY f.day ORDER BY f.day`;
    return this.everyDay(range, rows);
  }

  /** One row per day of the range, oldest first, zeros where nothing ran. */
  private everyDay(range: UsageRange, rows: readonly RawRow[]): UsageRow[] {
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
   * whole UTC days inside the range (from `rollup`; NULL for the dimensions it does not keep),
   * plus the raw records of the partial days at its ends.
   */
  private facts(scope: UsageScope, range: UsageRange, rollup: Rollup): Prisma.Sql {
    const who = scope === ALL_USERS ? Prisma.sql`TRUE` : Prisma.sql`user_id = ${scope}::uuid`;
    const firstWholeDay = new Date(Math.ceil(range.from.getTime() / DAY_MS) * DAY_MS);
    const endOfWholeDays = utcDay(range.to);
    const keptOrNull = (column: Dimension, type: 'uuid' | 'text'): Prisma.Sql =>
      rollup.keeps.includes(column) ? Prisma.raw(column) : Prisma.raw(`NULL::${type} AS ${column}`);
    const raw = (from: Date, to: Date): Prisma.Sql => Prisma.sql`
      SELECT (at AT TIME ZONE 'UTC')::date AS day, user_id, api_key_id, alias, upstream, 1 AS requests,
        coalesce(prompt_tokens, 0)::bigint AS prompt, coalesce(completion_tokens, 0)::bigint AS completion, coalesce(cost_usd, 0) AS cost,
        (cost_usd IS NULL)::int AS unpriced, (status >= 400)::int AS errors, cache_hit::int AS cache_hits
      FROM usage_records WHERE ${who} AND at >= ${from} AND at < ${to}`;
    if (firstWholeDay.getTime() >= endOfWholeDays.getTime()) return raw(range.from, range.to);
    const parts = [
      Prisma.sql`
      SELECT day, ${keptOrNull('user_id', 'uuid')}, ${keptOrNull('api_key_id', 'uuid')}, ${keptOrNull('alias', 'text')}, ${keptOrNull('upstream', 'text')},
        requests, prompt_tokens AS prompt, completion_tokens AS completion, cost_usd AS cost,
        unpriced_requests AS unpriced, errors, cache_hits
      FROM ${rollup.table} WHERE ${who} AND day >= ${isoDay(firstWholeDay)}::date AND day < ${isoDay(endOfWholeDays)}::date`,
    ];
    if (range.from.getTime() < firstWholeDay.getTime()) parts.push(raw(range.from, firstWholeDay));
    if (endOfWholeDays.getTime() < range.to.getTime()) parts.push(raw(endOfWholeDays, range.to));
    return Prisma.join(parts, ' UNION ALL ');
  }
}
