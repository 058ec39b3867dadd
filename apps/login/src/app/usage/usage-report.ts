/**
 * A user's gateway usage as the account pages, the account API and the CLI show it: requests,
 * tokens and cost summed per UTC day, per model (alias and serving deployment) or per API key,
 * over a time range. Read from `usage_records` (written by the gateway) through the
 * `(user_id, at)` index; every query is scoped by the user's id, so no one reads another's.
 */
import type { PrismaClient } from '@orcest/db';

export type UsageGrouping = 'day' | 'model' | 'key';

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
}

export interface UsageRow extends UsageTotals {
  /** `YYYY-MM-DD` (day), `alias` + deployment (model), or the key id (key; null = not an API key). */
  readonly group: string | null;
  /** For `model`: the serving deployment; for `key`: the key's name and prefix. */
  readonly label?: string;
}

export const DAY_MS = 24 * 3600 * 1000;
/** The longest range one request may ask for (the raw rows are kept 30 days by default). */
export const MAX_RANGE_DAYS = 400;

interface RawRow {
  readonly grp: string | null;
  readonly label: string | null;
  readonly requests: number;
  readonly prompt: number;
  readonly completion: number;
  readonly cost: number | null;
  readonly unpriced: number;
}

function totalsOf(r: RawRow): UsageTotals {
  return { requests: r.requests, promptTokens: r.prompt, completionTokens: r.completion, costUsd: r.cost ?? 0, unpriced: r.unpriced };
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

export class UsageReport {
  constructor(private readonly prisma: PrismaClient) {}

  async totals(userId: string, range: UsageRange): Promise<UsageTotals> {
    const [row] = await this.prisma.$queryRaw<RawRow[]>`
      SELECT NULL AS grp, NULL AS label, count(*)::int AS requests,
        coalesce(sum(prompt_tokens), 0)::float8 AS prompt, coalesce(sum(completion_tokens), 0)::float8 AS completion,
        sum(cost_usd)::float8 AS cost, (count(*) FILTER (WHERE cost_usd IS NULL))::int AS unpriced
      FROM usage_records WHERE user_id = ${userId}::uuid AND at >= ${range.from} AND at < ${range.to}`;
    return row ? totalsOf(row) : { requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, unpriced: 0 };
  }

  /** Rows per group; for `day` every day of the range is present (zeros where nothing ran). */
  async grouped(userId: string, range: UsageRange, by: UsageGrouping): Promise<UsageRow[]> {
    if (by === 'day') return this.perDay(userId, range);
    const rows =
      by === 'model'
        ? await this.prisma.$queryRaw<RawRow[]>`
          SELECT alias AS grp, coalesce(upstream, '') AS label, count(*)::int AS requests,
            coalesce(sum(prompt_tokens), 0)::float8 AS prompt, coalesce(sum(completion_tokens), 0)::float8 AS completion,
            sum(cost_usd)::float8 AS cost, (count(*) FILTER (WHERE cost_usd IS NULL))::int AS unpriced
          FROM usage_records WHERE user_id = ${userId}::uuid AND at >= ${range.from} AND at < ${range.to}
          GROUP BY alias, upstream ORDER BY sum(cost_usd) DESC NULLS LAST, count(*) DESC, alias LIMIT 200`
        : await this.prisma.$queryRaw<RawRow[]>`
          SELECT u.api_key_id::text AS grp, CASE WHEN k.id IS NULL THEN NULL ELSE k.name || ' (' || k.prefix || '…)' END AS label,
            count(*)::int AS requests,
            coalesce(sum(u.prompt_tokens), 0)::float8 AS prompt, coalesce(sum(u.completion_tokens), 0)::float8 AS completion,
            sum(u.cost_usd)::float8 AS cost, (count(*) FILTER (WHERE u.cost_usd IS NULL))::int AS unpriced
          FROM usage_records u LEFT JOIN api_keys k ON k.id = u.api_key_id
          WHERE u.user_id = ${userId}::uuid AND u.at >= ${range.from} AND u.at < ${range.to}
          GROUP BY u.api_key_id, k.id, k.name, k.prefix ORDER BY sum(u.cost_usd) DESC NULLS LAST, count(*) DESC LIMIT 200`;
    return rows.map((r) => ({ group: r.grp, ...(r.label ? { label: r.label } : {}), ...totalsOf(r) }));
  }

  private async perDay(userId: string, range: UsageRange): Promise<UsageRow[]> {
    const rows = await this.prisma.$queryRaw<RawRow[]>`
      SELECT to_char(date_trunc('day', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS grp, NULL AS label, count(*)::int AS requests,
        coalesce(sum(prompt_tokens), 0)::float8 AS prompt, coalesce(sum(completion_tokens), 0)::float8 AS completion,
        sum(cost_usd)::float8 AS cost, (count(*) FILTER (WHERE cost_usd IS NULL))::int AS unpriced
      FROM usage_records WHERE user_id = ${userId}::uuid AND at >= ${range.from} AND at < ${range.to}
      GROUP BY 1 ORDER BY 1`;
    const found = new Map(rows.map((r) => [r.grp, r]));
    const out: UsageRow[] = [];
    for (let t = utcDay(range.from).getTime(); t < range.to.getTime(); t += DAY_MS) {
      const day = new Date(t).toISOString().slice(0, 10);
      const row = found.get(day);
      out.push(row ? { group: day, ...totalsOf(row) } : { group: day, requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, unpriced: 0 });
    }
    return out;
  }
}
