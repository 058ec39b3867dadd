/**
 * Keeps the usage ledger bounded: raw `usage_records` older than USAGE_RAW_RETENTION_DAYS and
 * daily roll-ups (`usage_daily` and its narrow sums `usage_daily_users` and `usage_daily_models`) older than USAGE_ROLLUP_RETENTION_DAYS are deleted every hour.
 *
 * Never one huge DELETE: a statement that removes a day of a busy gateway's records holds its
 * locks, bloats WAL and stalls replication for minutes. Each batch is its own short statement
 * (`DELETE … WHERE id IN (SELECT id … ORDER BY <age> LIMIT n FOR UPDATE SKIP LOCKED)`) walking
 * the age index oldest first. SKIP LOCKED lets every gateway replica run the same job without a
 * lease: two replicas pruning at once take different rows instead of waiting on each other.
 *
 * Deleting raw rows leaves the roll-ups alone (the roll-up trigger fires on INSERT only), so the
 * usage pages and budgets keep their sums after the detail is gone.
 */
import { Prisma, type PrismaClient } from '@orcest/db';

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

export interface UsageRetentionSettings {
  readonly rawDays: number;
  readonly rollupDays: number;
}

export interface PruneCount {
  /** DELETE statements run (the last one may delete fewer than a batch, or none). */
  readonly batches: number;
  readonly rows: number;
}

export interface PruneReport {
  readonly raw: PruneCount;
  /** `usage_daily`. */
  readonly rollups: PruneCount;
  /** `usage_daily_users` and `usage_daily_models` together. */
  readonly narrowRollups: PruneCount;
}

/** The roll-ups besides usage_daily, pruned at the same age so every view agrees. */
const NARROW_ROLLUPS = [Prisma.raw('usage_daily_users'), Prisma.raw('usage_daily_models')];

export interface UsageRetentionOptions {
  /** Rows per DELETE (default 5,000). */
  readonly batchSize?: number;
  /** Between runs (default one hour); the first run is `firstRunMs` after `start` (default one minute). */
  readonly intervalMs?: number;
  readonly firstRunMs?: number;
  readonly clock?: () => number;
}

export class UsageRetention {
  private readonly batchSize: number;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PruneReport> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly settings: UsageRetentionSettings,
    private readonly log: { info(message: string): void; warn(message: string): void },
    private readonly options: UsageRetentionOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 5000;
    this.clock = options.clock ?? Date.now;
  }

  start(): void {
    const run = (): void => {
      void this.prune().catch((error: Error) => this.log.warn(`usage retention: pruning failed (next try in an hour): ${error.message}`));
    };
    this.timer = setTimeout(() => {
      run();
      this.timer = setInterval(run, this.options.intervalMs ?? HOUR_MS);
      this.timer.unref();
    }, this.options.firstRunMs ?? 60_000);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Deletes what is past retention, batch by batch; one run at a time per process. */
  prune(): Promise<PruneReport> {
    this.running ??= this.pruneOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pruneOnce(): Promise<PruneReport> {
    const now = this.clock();
    const rawCutoff = new Date(now - this.settings.rawDays * DAY_MS);
    // Whole UTC days: the roll-up of the day `rollupDays` ago is the oldest kept.
    const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
    const rollupCutoff = new Date(today - this.settings.rollupDays * DAY_MS);
    const raw = await this.inBatches((limit) =>
      this.prisma.$executeRaw`DELETE FROM usage_records WHERE id IN (
        SELECT id FROM usage_records WHERE at < ${rawCutoff} ORDER BY at LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
    );
    const rollups = await this.inBatches((limit) =>
      this.prisma.$executeRaw`DELETE FROM usage_daily WHERE id IN (
        SELECT id FROM usage_daily WHERE day < ${rollupCutoff}::date ORDER BY day LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
    );
    let narrowRollups: PruneCount = { batches: 0, rows: 0 };
    for (const table of NARROW_ROLLUPS) {
      const pruned = await this.inBatches((limit) =>
        this.prisma.$executeRaw`DELETE FROM ${table} WHERE id IN (
          SELECT id FROM ${table} WHERE day < ${rollupCutoff}::date ORDER BY day LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
      );
      narrowRollups = { batches: narrowRollups.batches + pruned.batches, rows: narrowRollups.rows + pruned.rows };
    }
    if (raw.rows > 0 || rollups.rows > 0 || narrowRollups.rows > 0) {
      this.log.info(
        `usage retention: deleted ${raw.rows} usage records older than ${this.settings.rawDays} days (${raw.batches} batches) ` +
          `and ${rollups.rows} daily roll-ups older than ${this.settings.rollupDays} days (${rollups.batches} batches; ` +
          `${narrowRollups.rows} per-user and per-model roll-ups in ${narrowRollups.batches} batches)`,
      );
    }
    return { raw, rollups, narrowRollups };
  }

  private async inBatches(deleteBatch: (limit: number) => Promise<number>): Promise<PruneCount> {
    let batches = 0;
    let rows = 0;
    for (;;) {
      const deleted = await deleteBatch(this.batchSize);
      batches += 1;
      rows += deleted;
      if (deleted < this.batchSize) return { batches, rows };
    }
  }
}
