/**
 * The audit trail of sign-ins, failures, lockouts, role changes and revocations.
 *
 * Rows carry text the caller chose (the email typed at sign-in, the user agent, the address a
 * proxy passed on), so every string goes through `pgText` — no NUL, no lone surrogate (jsonb
 * refuses both), a length cap — before it is written. Should PostgreSQL still refuse a row
 * for what it holds, the row is dropped with a warning and counted (`refusedRows`): the
 * action it records (a sign-in, a role change) has happened and must not fail because of
 * its audit row. Rows are written one at a time, in order, as each action happens (no batch
 * for one poison row to block). An error that is not about the row (the database is away)
 * still fails the request.
 *
 * The log is bounded: rows older than the retention are deleted by `prune`, which every
 * replica runs on a timer (an idempotent DELETE, so replicas need no coordination).
 */
import { Logger } from '@nestjs/common';
import { isRowRefusal, pgText, sqlStateOf, type Prisma, type PrismaClient, type AuditLog as AuditEntry } from '@orcest/db';

export interface AuditEvent {
  readonly action: string;
  readonly actor?: string;
  readonly subject?: string;
  readonly ip?: string;
  readonly detail?: Record<string, unknown>;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

const DAY_MS = 24 * 3600 * 1000;
/** Rows deleted per statement, so pruning a large backlog never holds one long lock. */
const PRUNE_BATCH = 5000;
const MAX = { action: 100, id: 320, ip: 64, detailText: 1000, detailKey: 100, detailDepth: 4 } as const;

export class AuditLog {
  private readonly logger = new Logger('AuditLog');
  private refused = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly retentionDays: number,
  ) {}

  /** Rows PostgreSQL refused since start (each also logged). */
  get refusedRows(): number {
    return this.refused;
  }

  async record(event: AuditEvent): Promise<void> {
    const data = {
      action: pgText(event.action, MAX.action),
      actor: event.actor === undefined ? null : pgText(event.actor, MAX.id),
      subject: event.subject === undefined ? null : pgText(event.subject, MAX.id),
      ip: event.ip === undefined ? null : pgText(event.ip, MAX.ip),
      detail: jsonForDetail(event.detail ?? {}, 0) as Prisma.InputJsonValue,
    };
    try {
      await this.prisma.auditLog.create({ data });
    } catch (error) {
      if (!isRowRefusal(error)) throw error;
      this.refused++;
      const reason = sqlStateOf(error) ?? (error instanceof Error ? error.name : 'refused');
      this.logger.warn(`audit row dropped (${reason}): ${data.action} subject=${data.subject ?? '-'}; ${this.refused} dropped since start`);
    }
  }

  async list(page: number, pageSize: number, action?: string): Promise<Page<AuditEntry>> {
    const where = action ? { action: { startsWith: action } } : {};
    const [items, total] = await Promise.all([
      this.prisma.auditLog.findMany({ where, orderBy: { at: 'desc' }, skip: (page - 1) * pageSize, take: pageSize }),
      this.prisma.auditLog.count({ where }),
    ]);
    return { items, page, pageSize, total };
  }

  /** Deletes the rows older than the retention; returns how many. */
  async prune(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionDays * DAY_MS);
    let total = 0;
    for (;;) {
      const deleted = await this.prisma.$executeRaw`DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ${cutoff} LIMIT ${PRUNE_BATCH})`;
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }
}

/** A JSON value PostgreSQL's jsonb accepts, every string (and key) through pgText. */
function jsonForDetail(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return pgText(value, MAX.detailText);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX.detailDepth) return '…';
  if (Array.isArray(value)) return value.map((v) => jsonForDetail(v, depth + 1));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [pgText(k, MAX.detailKey), jsonForDetail(v, depth + 1)]));
  }
  return pgText(String(value), MAX.detailText);
}
