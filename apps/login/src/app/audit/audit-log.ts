/** The audit trail of sign-ins, failures, lockouts, role changes and revocations. */
import type { Prisma, PrismaClient, AuditLog as AuditEntry } from '@orcest/db';

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

export class AuditLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(event: AuditEvent): Promise<void> {
    await this.prisma.auditLog.create({
      data: {
        action: event.action,
        actor: event.actor ?? null,
        subject: event.subject ?? null,
        ip: event.ip ?? null,
        detail: (event.detail ?? {}) as Prisma.InputJsonValue,
      },
    });
  }

  async list(page: number, pageSize: number, action?: string): Promise<Page<AuditEntry>> {
    const where = action ? { action: { startsWith: action } } : {};
    const [items, total] = await Promise.all([
      this.prisma.auditLog.findMany({ where, orderBy: { at: 'desc' }, skip: (page - 1) * pageSize, take: pageSize }),
      this.prisma.auditLog.count({ where }),
    ]);
    return { items, page, pageSize, total };
  }
}
