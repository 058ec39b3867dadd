/**
 * The checker's write path: results wait in memory and are written once per flush interval
 * in one transaction of three statements (raw checks, roll-up upserts, component states,
 * `history-statements.ts`), whatever the number of monitors — 1,000 monitors at 30 s cost one
 * small transaction a second, not 100 statements. Memory is bounded: at most one pending
 * state per component and one roll-up delta per (component, period, bucket); raw rows beyond
 * `maxPendingChecks` are dropped (counted).
 *
 * A target chooses what its answers say, so nothing it sends may stop the writer for the
 * others: every string from a target (errors, names, groups) goes through `pgText` (NUL →
 * U+FFFD, a length cap), and each statement runs inside a savepoint through
 * `writeIsolatingRefusedRows`, so a row PostgreSQL still refuses is found by halving, dropped
 * with a counted and logged reason, and every other row of the flush lands in the same
 * transaction. An error that is not about rows (the database is away) rolls the whole flush
 * back and keeps the roll-ups and states for the next one, so nothing is counted twice.
 */
import { Logger } from '@nestjs/common';
import { pgTextOrNull, pgText, writeIsolatingRefusedRows, type PrismaClient, type RefusedRow } from '@orcest/db';
import { RollupBatch } from '@orcest/monitoring';
import { insertChecks, upsertRollups, upsertStates, type ComponentStateRow, type RecordedCheck, type SqlRunner } from './history-statements';

export type { ComponentStateRow, RecordedCheck } from './history-statements';

/** Longest failure detail kept (the body of a condition's message is capped earlier too). */
const MAX_ERROR = 2_000;
const MAX_NAME = 200;
const FLUSH_TIMEOUT_MS = 60_000;
const logger = new Logger('StatusHistory');

export type HistoryTable = 'status_checks' | 'status_rollups' | 'status_component_states';

/** What the admin view shows of the write path. */
export interface HistoryWriterStats {
  /** Raw check rows dropped: over the pending bound, or lost with a failed flush. */
  readonly dropped: number;
  /** Rows PostgreSQL refused and the writer dropped, by table. */
  readonly refused: Readonly<Record<HistoryTable, number>>;
  readonly lastRefusal: { readonly at: number; readonly table: HistoryTable; readonly componentId: string; readonly reason: string } | null;
}

export class HistoryWriter {
  private checks: RecordedCheck[] = [];
  private rollups = new RollupBatch();
  private states = new Map<string, ComponentStateRow>();
  private flushing: Promise<void> | undefined;
  dropped = 0;
  private readonly refused: Record<HistoryTable, number> = { status_checks: 0, status_rollups: 0, status_component_states: 0 };
  private lastRefusal: HistoryWriterStats['lastRefusal'] = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxPendingChecks = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(check: RecordedCheck, state: ComponentStateRow): void {
    if (this.checks.length < this.maxPendingChecks) this.checks.push({ ...check, error: pgTextOrNull(check.error, MAX_ERROR) });
    else this.dropped++;
    this.rollups.add(check);
    this.states.set(state.componentId, { ...state, name: pgText(state.name, MAX_NAME), groupName: pgTextOrNull(state.groupName, MAX_NAME), lastError: pgTextOrNull(state.lastError, MAX_ERROR) });
  }

  stats(): HistoryWriterStats {
    return { dropped: this.dropped, refused: { ...this.refused }, lastRefusal: this.lastRefusal };
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
    let refusals: Refusal[];
    try {
      refusals = await this.prisma.$transaction(
        async (tx) => [
          ...(await isolated(tx, checks, insertChecks)).map((r) => ({ table: 'status_checks' as const, componentId: r.row.componentId, reason: r.reason })),
          ...(await isolated(tx, rollups, upsertRollups)).map((r) => ({ table: 'status_rollups' as const, componentId: r.row.componentId, reason: r.reason })),
          ...(await isolated(tx, states, upsertStates)).map((r) => ({ table: 'status_component_states' as const, componentId: r.row.componentId, reason: r.reason })),
        ],
        { timeout: FLUSH_TIMEOUT_MS, maxWait: FLUSH_TIMEOUT_MS },
      );
    } catch (error) {
      // The database is away: keep the roll-ups (small, bounded by components × buckets) for
      // the next flush, drop the raw rows (they are only kept for a day anyway).
      for (const delta of rollups) this.rollups.merge(delta);
      for (const state of states) if (!this.states.has(state.componentId)) this.states.set(state.componentId, state);
      this.dropped += checks.length;
      throw error;
    }
    for (const refusal of refusals) this.countRefusal(refusal);
  }

  private countRefusal(refusal: Refusal): void {
    this.refused[refusal.table]++;
    this.lastRefusal = { at: this.now(), ...refusal };
    logger.warn(`dropped a ${refusal.table} row of ${refusal.componentId} that PostgreSQL refused (${refusal.reason}); the other rows were written`);
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

interface Refusal {
  readonly table: HistoryTable;
  readonly componentId: string;
  readonly reason: string;
}

/**
 * One statement over `rows` inside the flush's transaction. A refused statement aborts a
 * PostgreSQL transaction, so each attempt runs in a savepoint and a refusal rolls back to it:
 * the halving retries of `writeIsolatingRefusedRows` then continue in the same transaction.
 */
function isolated<T>(tx: SqlRunner, rows: readonly T[], statement: (sql: SqlRunner, rows: readonly T[]) => Promise<number>): Promise<RefusedRow<T>[]> {
  return writeIsolatingRefusedRows(rows, async (part) => {
    await tx.$executeRawUnsafe('SAVEPOINT history_rows');
    try {
      await statement(tx, part);
    } catch (error) {
      await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT history_rows');
      throw error;
    }
    await tx.$executeRawUnsafe('RELEASE SAVEPOINT history_rows');
  });
}
