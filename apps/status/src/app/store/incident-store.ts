/**
 * Incidents, their updates, and maintenance windows: what the checker opens and resolves on
 * its own, and what the operator writes from /admin. Input is validated here (domain errors),
 * so every caller gets the same 4xx for the same mistake.
 */
import { isUuid, pgText, Prisma, type PrismaClient, type StatusIncident, type StatusIncidentUpdate, type StatusMaintenance } from '@orcest/db';
import { INCIDENT_IMPACTS, INCIDENT_STATUSES, type IncidentImpact, type IncidentStatus } from '@orcest/monitoring';
import { InvalidInputError, NotFoundError } from '../errors';

export type IncidentWithUpdates = StatusIncident & { updates: StatusIncidentUpdate[] };

/**
 * Who hears about incidents and maintenance (the subscribers' outbox): called inside the
 * transaction that writes the event, so an event and its notifications land together.
 */
export interface IncidentNotifications {
  incident(tx: Prisma.TransactionClient, incident: StatusIncident, updatesNewestFirst: readonly StatusIncidentUpdate[]): Promise<unknown>;
  maintenance(tx: Prisma.TransactionClient, maintenance: StatusMaintenance, phase: 'scheduled' | 'started'): Promise<unknown>;
}

const NOBODY: IncidentNotifications = { incident: async () => 0, maintenance: async () => 0 };

export interface NewIncident {
  readonly name: string;
  readonly status: string;
  readonly impact: string;
  readonly body: string;
  readonly componentIds: readonly string[];
}

export interface NewMaintenance {
  readonly name: string;
  readonly body: string;
  readonly componentIds: readonly string[];
  readonly scheduledFor: Date;
  readonly scheduledUntil: Date;
}

const MAX_TEXT = 10_000;
const MAX_NAME = 200;

export class IncidentStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly knownComponent: (id: string) => boolean,
    private readonly notifications: IncidentNotifications = NOBODY,
  ) {}

  /** Writes an incident change and queues its notifications in one transaction. */
  private async notifying<T extends StatusIncident>(write: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(async (tx) => {
      const incident = await write(tx);
      const updates = await tx.statusIncidentUpdate.findMany({ where: { incidentId: incident.id }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] });
      await this.notifications.incident(tx, incident, updates);
      return incident;
    });
  }

  /**
   * Opened by the checker when a component goes down; one open auto incident per component.
   * `summary` is the check's public wording; names of discovered components come from a
   * gateway, so both go through pgText (a NUL byte would make PostgreSQL refuse the incident).
   */
  async openAuto(componentId: string, componentName: string, summary: string, at: Date): Promise<StatusIncident> {
    return this.notifying((tx) => tx.statusIncident.create({
      data: {
        name: `${pgText(componentName, MAX_NAME - 8)} is down`,
        status: 'investigating',
        impact: 'major',
        componentIds: [componentId],
        auto: true,
        createdAt: at,
        updatedAt: at,
        updates: { create: { status: 'investigating', body: `Automatic check failed: ${pgText(summary, MAX_TEXT)}.`, createdAt: at } },
      },
    }));
  }

  async resolveAuto(incidentId: string, componentName: string, at: Date): Promise<void> {
    await this.notifying(async (tx) => {
      await tx.statusIncidentUpdate.create({ data: { incidentId, status: 'resolved', body: `${pgText(componentName, MAX_NAME)} is operational again.`, createdAt: at } });
      return tx.statusIncident.update({ where: { id: incidentId }, data: { status: 'resolved', resolvedAt: at, updatedAt: at } });
    });
  }

  /** Open automatic incidents by component, for a checker that just became leader. */
  async openAutoIncidents(): Promise<Map<string, string>> {
    const rows = await this.prisma.statusIncident.findMany({ where: { auto: true, resolvedAt: null }, select: { id: true, componentIds: true } });
    const byComponent = new Map<string, string>();
    for (const row of rows) for (const c of row.componentIds) byComponent.set(c, row.id);
    return byComponent;
  }

  async create(input: NewIncident, at: Date): Promise<StatusIncident> {
    const name = requireText('name', input.name, MAX_NAME);
    const body = requireText('body', input.body, MAX_TEXT);
    const status = requireIncidentStatus(input.status);
    const impact = requireImpact(input.impact);
    const componentIds = this.requireComponents(input.componentIds);
    return this.notifying((tx) =>
      tx.statusIncident.create({
        data: {
          name,
          status,
          impact,
          componentIds,
          createdAt: at,
          updatedAt: at,
          resolvedAt: status === 'resolved' ? at : null,
          monitoringAt: status === 'monitoring' ? at : null,
          updates: { create: { status, body, createdAt: at } },
        },
      }),
    );
  }

  async addUpdate(incidentId: string, input: { status: string; body: string }, at: Date): Promise<void> {
    const id = requireUuid(incidentId, 'incident');
    const status = requireIncidentStatus(input.status);
    const body = requireText('body', input.body, MAX_TEXT);
    const incident = await this.prisma.statusIncident.findUnique({ where: { id } });
    if (!incident) throw new NotFoundError(`No incident ${id}.`);
    await this.notifying(async (tx) => {
      await tx.statusIncidentUpdate.create({ data: { incidentId: id, status, body, createdAt: at } });
      return tx.statusIncident.update({
        where: { id },
        data: {
          status,
          updatedAt: at,
          resolvedAt: status === 'resolved' || status === 'postmortem' ? (incident.resolvedAt ?? at) : null,
          monitoringAt: status === 'monitoring' ? (incident.monitoringAt ?? at) : incident.monitoringAt,
        },
      });
    });
  }

  async find(incidentId: string): Promise<IncidentWithUpdates> {
    const id = requireUuid(incidentId, 'incident');
    const incident = await this.prisma.statusIncident.findUnique({ where: { id }, include: { updates: { orderBy: { createdAt: 'desc' } } } });
    if (!incident) throw new NotFoundError(`No incident ${id}.`);
    return incident;
  }

  /** Unresolved ones first, then the latest `limit` overall. */
  async recent(limit: number): Promise<IncidentWithUpdates[]> {
    const [open, latest] = await Promise.all([
      this.prisma.statusIncident.findMany({ where: { resolvedAt: null }, include: { updates: { orderBy: { createdAt: 'desc' } } }, orderBy: { createdAt: 'desc' }, take: limit }),
      this.prisma.statusIncident.findMany({ include: { updates: { orderBy: { createdAt: 'desc' } } }, orderBy: { createdAt: 'desc' }, take: limit }),
    ]);
    const seen = new Set(open.map((i) => i.id));
    return [...open, ...latest.filter((i) => !seen.has(i.id))].slice(0, limit);
  }

  async createMaintenance(input: NewMaintenance, now: Date): Promise<StatusMaintenance> {
    const name = requireText('name', input.name, MAX_NAME);
    const body = optionalText('body', input.body, MAX_TEXT);
    const componentIds = this.requireComponents(input.componentIds);
    if (Number.isNaN(input.scheduledFor.getTime())) throw new InvalidInputError('scheduled_for is not a date and time.', 'scheduled_for');
    if (Number.isNaN(input.scheduledUntil.getTime())) throw new InvalidInputError('scheduled_until is not a date and time.', 'scheduled_until');
    if (input.scheduledUntil <= input.scheduledFor) throw new InvalidInputError('scheduled_until must be after scheduled_for.', 'scheduled_until');
    if (input.scheduledUntil <= now) throw new InvalidInputError('The maintenance window is already over.', 'scheduled_until');
    // A window that has already begun is announced once, as started.
    const started = input.scheduledFor <= now;
    return this.prisma.$transaction(async (tx) => {
      const m = await tx.statusMaintenance.create({ data: { name, body, componentIds, scheduledFor: input.scheduledFor, scheduledUntil: input.scheduledUntil, createdAt: now, updatedAt: now, startNotifiedAt: started ? now : null } });
      await this.notifications.maintenance(tx, m, started ? 'started' : 'scheduled');
      return m;
    });
  }

  /**
   * Windows that have begun and whose start was not announced yet: each is marked and
   * announced in one transaction (the leader calls this every tick; the conditional update
   * makes two callers announce a window once). Windows that ended unannounced are skipped.
   */
  async announceStartedMaintenances(now: Date): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const due = await tx.$queryRawUnsafe<{ id: string }[]>(
        `UPDATE status_maintenances SET start_notified_at = $1
         WHERE start_notified_at IS NULL AND completed_at IS NULL AND scheduled_for <= $1 AND scheduled_until > $1
         RETURNING id`,
        now,
      );
      for (const { id } of due) await this.notifications.maintenance(tx, await tx.statusMaintenance.findUniqueOrThrow({ where: { id } }), 'started');
      return due.length;
    });
  }

  async completeMaintenance(maintenanceId: string, at: Date): Promise<void> {
    const id = requireUuid(maintenanceId, 'maintenance');
    try {
      await this.prisma.statusMaintenance.update({ where: { id }, data: { completedAt: at, updatedAt: at } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') throw new NotFoundError(`No maintenance ${id}.`);
      throw error;
    }
  }

  /** Windows not yet over (running or upcoming), soonest first. */
  async currentMaintenances(now: Date): Promise<StatusMaintenance[]> {
    return this.prisma.statusMaintenance.findMany({ where: { completedAt: null, scheduledUntil: { gt: now } }, orderBy: { scheduledFor: 'asc' }, take: 200 });
  }

  async recentMaintenances(limit: number): Promise<StatusMaintenance[]> {
    return this.prisma.statusMaintenance.findMany({ orderBy: { scheduledFor: 'desc' }, take: limit });
  }

  private requireComponents(ids: readonly string[]): string[] {
    const unique = [...new Set(ids.map((id) => id.trim()).filter(Boolean))];
    const unknown = unique.filter((id) => !this.knownComponent(id));
    if (unknown.length > 0) throw new InvalidInputError(`Unknown component${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`, 'component_ids');
    return unique;
  }
}

function requireText(field: string, value: string, max: number): string {
  const text = optionalText(field, value, max);
  if (!text) throw new InvalidInputError(`${field} is required.`, field);
  return text;
}

/** PostgreSQL refuses U+0000 in text: a form that sends one gets a 400 naming the field, not a 500. */
function optionalText(field: string, value: string, max: number): string {
  const text = value.trim();
  if (text.length > max) tooLong(field);
  if (text.includes('\u0000')) throw new InvalidInputError(`${field} contains a NUL character.`, field);
  return text;
}

function tooLong(field: string): never {
  throw new InvalidInputError(`${field} is too long.`, field);
}

function requireIncidentStatus(value: string): IncidentStatus {
  if ((INCIDENT_STATUSES as readonly string[]).includes(value)) return value as IncidentStatus;
  throw new InvalidInputError(`status must be one of ${INCIDENT_STATUSES.join(', ')}.`, 'status');
}

function requireImpact(value: string): IncidentImpact {
  if ((INCIDENT_IMPACTS as readonly string[]).includes(value)) return value as IncidentImpact;
  throw new InvalidInputError(`impact must be one of ${INCIDENT_IMPACTS.join(', ')}.`, 'impact');
}

function requireUuid(value: string, what: string): string {
  if (!isUuid(value)) throw new NotFoundError(`No ${what} ${value.slice(0, 64)}.`);
  return value.toLowerCase();
}

/** A maintenance window covers `componentId` at `now`. */
export function inMaintenance(maintenances: readonly StatusMaintenance[], componentId: string, now: number): boolean {
  return maintenances.some((m) => m.completedAt === null && m.scheduledFor.getTime() <= now && m.scheduledUntil.getTime() > now && m.componentIds.includes(componentId));
}

/** When the window covering `componentId` at `now` began (the earliest, if several); undefined outside maintenance. */
export function maintenanceStart(maintenances: readonly StatusMaintenance[], componentId: string, now: number): number | undefined {
  const starts = maintenances
    .filter((m) => m.completedAt === null && m.scheduledFor.getTime() <= now && m.scheduledUntil.getTime() > now && m.componentIds.includes(componentId))
    .map((m) => m.scheduledFor.getTime());
  return starts.length > 0 ? Math.min(...starts) : undefined;
}
