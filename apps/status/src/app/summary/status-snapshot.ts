/**
 * What every public view (dashboard, Statuspage JSON, badges, feed) is rendered from: one
 * consistent snapshot of components, uptime, history, incidents and maintenance.
 */
import type { StatusMaintenance } from '@orcest/db';
import type { ComponentStatus, DayBar, HealthStatus, PageIndicator, ResponsePoint, Uptime, UptimeWindow } from '@orcest/monitoring';
import type { IncidentWithUpdates } from '../store/incident-store';

export interface ComponentView {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly groupId: string | null;
  readonly position: number;
  /** As shown: maintenance applied. */
  readonly status: ComponentStatus;
  readonly health: HealthStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lastCheckedAt: Date | null;
  readonly lastResponseMs: number | null;
  readonly lastError: string | null;
  readonly uptime: Readonly<Record<UptimeWindow, Uptime>>;
  readonly bars: readonly DayBar[];
  readonly response: readonly ResponsePoint[];
}

export interface GroupView {
  readonly id: string;
  readonly name: string;
  readonly position: number;
  readonly status: ComponentStatus;
  readonly components: readonly ComponentView[];
}

export interface StatusSnapshot {
  readonly generatedAt: Date;
  readonly page: { readonly id: string; readonly name: string; readonly url: string };
  readonly status: { readonly indicator: PageIndicator; readonly description: string };
  readonly groups: readonly GroupView[];
  readonly components: readonly ComponentView[];
  /** The latest incidents, unresolved first. */
  readonly incidents: readonly IncidentWithUpdates[];
  /** Maintenance windows not over yet, soonest first. */
  readonly maintenances: readonly StatusMaintenance[];
  /** The latest maintenance windows, including finished ones. */
  readonly recentMaintenances: readonly StatusMaintenance[];
}

export function maintenanceStatus(m: StatusMaintenance, now: number): 'scheduled' | 'in_progress' | 'completed' {
  if (m.completedAt !== null || m.scheduledUntil.getTime() <= now) return 'completed';
  return m.scheduledFor.getTime() <= now ? 'in_progress' : 'scheduled';
}
