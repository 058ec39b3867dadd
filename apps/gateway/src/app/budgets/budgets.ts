/**
 * Monthly budgets in USD, per API key (`api_keys.monthly_budget_usd`) and per user
 * (`users.monthly_budget_usd`, over all their keys and SSO calls), by calendar month in UTC.
 *
 * The check reads month-to-date spend from memory (spend-store.ts) and the budgets from the API
 * key store's last reload: no request reads the database or Redis for it. Spend grows when a
 * usage record is made with its cost, after the answer went out, so the request that crosses
 * a budget is served, and the next one is refused (or warned about).
 */
import type { PrismaClient } from '@orcest/db';
import { budgetMonthOf, type BudgetMonth } from './month';
import type { SpendStore, SpendSums } from './spend-store';

export interface BudgetSource {
  userBudget(userId: string): number | undefined;
  budgeted(): { keys: string[]; users: string[] };
}

/** A budget that is spent, for the refusal or the warning. */
export interface BudgetOverrun {
  readonly scope: 'key' | 'user';
  readonly budgetUsd: number;
  readonly spentUsd: number;
  readonly month: BudgetMonth;
  /** Seconds until the 1st of next month, 00:00 UTC. */
  readonly retryAfterSeconds: number;
}

/** How often replicas bring each other's spend into memory (Redis store only). */
const SYNC_MS = 1000;

export class Budgets {
  private month: BudgetMonth;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: SpendStore,
    private readonly loadSums: (sinceMs: number) => Promise<SpendSums>,
    private readonly source: BudgetSource,
    readonly mode: 'enforce' | 'warn',
    private readonly warn: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.month = budgetMonthOf(now());
  }

  /** Loads the month's sums (one grouped query per scope), then keeps replicas in step. */
  async start(): Promise<void> {
    this.month = budgetMonthOf(this.now());
    await this.store.seed(this.month.label, await this.loadSums(this.month.startMs));
    this.timer = setInterval(() => void this.sync(), SYNC_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  close(): Promise<void> {
    this.stop();
    return this.store.close();
  }

  /** Other replicas' spend of budgeted keys and users (Redis store); tests call it directly. */
  async sync(): Promise<void> {
    const { keys, users } = this.source.budgeted();
    await this.store.sync(this.currentMonth().label, keys, users).catch((error: Error) => this.warn(`budget sync failed: ${error.message}`));
  }

  /** The first spent budget of this caller (the key's, then the user's); undefined: within budget. */
  check(key: { readonly id: string; readonly monthlyBudgetUsd: number | null } | undefined, userId: string): BudgetOverrun | undefined {
    const month = this.currentMonth();
    if (key && key.monthlyBudgetUsd !== null) {
      const spent = this.store.spent('k', key.id);
      if (spent >= key.monthlyBudgetUsd) return this.overrun('key', key.monthlyBudgetUsd, spent, month);
    }
    const userBudget = this.source.userBudget(userId);
    if (userBudget !== undefined) {
      const spent = this.store.spent('u', userId);
      if (spent >= userBudget) return this.overrun('user', userBudget, spent, month);
    }
    return undefined;
  }

  /** A usage record's cost, counted for its key and user. */
  add(keyId: string | undefined, userId: string | undefined, usd: number): void {
    if (!(usd > 0)) return;
    const label = this.currentMonth().label;
    if (keyId) this.store.add(label, 'k', keyId, usd);
    if (userId) this.store.add(label, 'u', userId, usd);
  }

  private currentMonth(): BudgetMonth {
    if (this.now() >= this.month.endMs) {
      // A new month: spend starts again from 0 (seeding with nothing replaces the old figures at once).
      this.month = budgetMonthOf(this.now());
      void this.store.seed(this.month.label, { keys: new Map(), users: new Map() });
    }
    return this.month;
  }

  private overrun(scope: 'key' | 'user', budgetUsd: number, spentUsd: number, month: BudgetMonth): BudgetOverrun {
    return { scope, budgetUsd, spentUsd, month, retryAfterSeconds: Math.max(1, Math.ceil((month.endMs - this.now()) / 1000)) };
  }
}

/**
 * The month's spend so far per key and per user, from the daily roll-ups (`usage_daily`): a
 * month is at most 31 rows per bucket whatever the traffic, and the raw records may already be
 * pruned (USAGE_RAW_RETENTION_DAYS can be shorter than a month). The month starts at a UTC
 * midnight, so whole days cover it exactly.
 */
export function spendLoader(prisma: PrismaClient): (sinceMs: number) => Promise<SpendSums> {
  return async (sinceMs) => {
    const since = new Date(sinceMs);
    const [keys, users] = await Promise.all([
      prisma.$queryRaw<{ id: string; usd: number }[]>`
        SELECT api_key_id::text AS id, sum(cost_usd)::float8 AS usd FROM usage_daily
        WHERE day >= (${since}::timestamptz AT TIME ZONE 'UTC')::date AND api_key_id IS NOT NULL AND cost_usd > 0 GROUP BY api_key_id`,
      prisma.$queryRaw<{ id: string; usd: number }[]>`
        SELECT user_id::text AS id, sum(cost_usd)::float8 AS usd FROM usage_daily
        WHERE day >= (${since}::timestamptz AT TIME ZONE 'UTC')::date AND user_id IS NOT NULL AND cost_usd > 0 GROUP BY user_id`,
    ]);
    return { keys: new Map(keys.map((row) => [row.id, row.usd])), users: new Map(users.map((row) => [row.id, row.usd])) };
  };
}

/** The one wording of an overrun, for the 429's message and the warning header. */
export function describeOverrun(o: BudgetOverrun): string {
  const whose = o.scope === 'key' ? 'This API key' : 'This user account';
  return `${whose} has reached its monthly budget of $${o.budgetUsd.toFixed(2)} ($${o.spentUsd.toFixed(4)} spent in ${o.month.label}). It resets on ${new Date(o.month.endMs).toISOString().slice(0, 10)} at 00:00 UTC.`;
}
