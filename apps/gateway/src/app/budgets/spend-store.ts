/**
 * Month-to-date spend (USD) per API key and per user, read on the hot path from process memory
 * only. Two stores, like the rate limits:
 *
 * - memory (one replica): the month's sums loaded from the daily roll-ups (usage_daily) at start, plus this
 *   process's own costs as they are recorded;
 * - Redis (REDIS_URL, several replicas): the counters live in Redis (`rm:spend:<YYYY-MM>:k:<id>`
 *   and `…:u:<id>`, INCRBYFLOAT, expiring after the month), seeded from usage_daily by the
 *   first replica to start in a month (a SET NX marker, so the sums are added once). Each
 *   replica mirrors the counters of budgeted keys and users in memory: its own increments
 *   return the new total, and `sync` (every second) reads everyone else's. So a replica may
 *   serve for up to one sync interval after another replica crossed the budget: the overshoot
 *   is bounded by what is spent in that second, and no request waits on Redis. Redis trouble
 *   keeps the local figures and warns (an outage of budgets must not become an outage).
 */
import Redis from 'ioredis';

export type SpendScope = 'k' | 'u';

export interface SpendSums {
  readonly keys: ReadonlyMap<string, number>;
  readonly users: ReadonlyMap<string, number>;
}

export interface SpendStore {
  /** Starts a month from the database's sums (replacing what was held). */
  seed(month: string, sums: SpendSums): Promise<void>;
  /** Adds a recorded cost; the local figure moves at once. */
  add(month: string, scope: SpendScope, id: string, usd: number): void;
  /** The month-to-date spend held in memory; no I/O. */
  spent(scope: SpendScope, id: string): number;
  /** Brings the figures of these ids up to date with other replicas (no-op in memory). */
  sync(month: string, keys: readonly string[], users: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** The figures one process holds: `k:<id>` / `u:<id>` → USD. */
class SpendFigures {
  private figures = new Map<string, number>();

  replace(sums: SpendSums): void {
    const next = new Map<string, number>();
    for (const [id, usd] of sums.keys) next.set(`k:${id}`, usd);
    for (const [id, usd] of sums.users) next.set(`u:${id}`, usd);
    this.figures = next;
  }

  add(scope: SpendScope, id: string, usd: number): void {
    const name = `${scope}:${id}`;
    this.figures.set(name, (this.figures.get(name) ?? 0) + usd);
  }

  set(scope: SpendScope, id: string, usd: number): void {
    this.figures.set(`${scope}:${id}`, usd);
  }

  get(scope: SpendScope, id: string): number {
    return this.figures.get(`${scope}:${id}`) ?? 0;
  }
}

export class MemorySpendStore implements SpendStore {
  private readonly figures = new SpendFigures();

  async seed(_month: string, sums: SpendSums): Promise<void> {
    this.figures.replace(sums);
  }

  add(_month: string, scope: SpendScope, id: string, usd: number): void {
    this.figures.add(scope, id, usd);
  }

  spent(scope: SpendScope, id: string): number {
    return this.figures.get(scope, id);
  }

  async sync(): Promise<void> {
    // One replica: its own figures are the whole truth.
  }

  async close(): Promise<void> {
    // Nothing held outside the process.
  }
}

/** Counters outlive their month by a few days, then Redis drops them. */
const COUNTER_TTL_SECONDS = 35 * 24 * 3600;

export class RedisSpendStore implements SpendStore {
  private readonly redis: Redis;
  private readonly figures = new SpendFigures();
  private lastWarning = 0;

  constructor(
    url: string,
    private readonly warn: (message: string) => void,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 2000 });
    this.redis.on('error', (error: Error) => this.warnOnce(`Redis spend store: ${error.message}`));
  }

  async seed(month: string, sums: SpendSums): Promise<void> {
    this.figures.replace(sums);
    try {
      // The first replica of the month adds the database's sums; the others find them there.
      const won = await this.redis.set(`rm:spend:${month}:seeded`, '1', 'EX', COUNTER_TTL_SECONDS, 'NX');
      if (won !== 'OK') return;
      const pipeline = this.redis.pipeline();
      for (const [id, usd] of sums.keys) pipeline.incrbyfloat(this.counter(month, 'k', id), usd).expire(this.counter(month, 'k', id), COUNTER_TTL_SECONDS);
      for (const [id, usd] of sums.users) pipeline.incrbyfloat(this.counter(month, 'u', id), usd).expire(this.counter(month, 'u', id), COUNTER_TTL_SECONDS);
      await pipeline.exec();
    } catch (error) {
      this.warnOnce(`Redis spend store: month ${month} not seeded (using this replica's figures): ${(error as Error).message}`);
    }
  }

  add(month: string, scope: SpendScope, id: string, usd: number): void {
    this.figures.add(scope, id, usd);
    const counter = this.counter(month, scope, id);
    this.redis
      .multi()
      .incrbyfloat(counter, usd)
      .expire(counter, COUNTER_TTL_SECONDS)
      .exec()
      .then((results) => {
        const total = Number(results?.[0]?.[1]);
        if (Number.isFinite(total)) this.figures.set(scope, id, total);
      })
      .catch((error: Error) => this.warnOnce(`Redis spend store: cost not shared: ${error.message}`));
  }

  spent(scope: SpendScope, id: string): number {
    return this.figures.get(scope, id);
  }

  async sync(month: string, keys: readonly string[], users: readonly string[]): Promise<void> {
    if (keys.length + users.length === 0) return;
    const names = [...keys.map((id) => this.counter(month, 'k', id)), ...users.map((id) => this.counter(month, 'u', id))];
    try {
      const values = await this.redis.mget(names);
      values.forEach((value, i) => {
        if (value === null) return; // nothing recorded anywhere yet: keep the local figure
        if (i < keys.length) this.figures.set('k', keys[i], Number(value));
        else this.figures.set('u', users[i - keys.length], Number(value));
      });
    } catch (error) {
      this.warnOnce(`Redis spend store: not synced (using this replica's figures): ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private counter(month: string, scope: SpendScope, id: string): string {
    return `rm:spend:${month}:${scope}:${id}`;
  }

  /** At most one warning per minute: an outage must not flood the log. */
  private warnOnce(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    this.warn(message);
  }
}
