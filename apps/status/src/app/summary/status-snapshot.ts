/**
 * What every public view (dashboard, Statuspage JSON, badges, feed) is rendered from: one
 * consistent snapshot of components, uptime, history, incidents and maintenance.
 */
import type { StatusMaintenance } from '@orcest/db';
import type { DayBar, HealthStatus, PageIndicator, ResponsePoint, ShownStatus, Uptime, UptimeWindow } from '@orcest/monitoring';
import type { IncidentWithUpdates } from '../store/incident-store';

export interface ComponentView {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly groupId: string | null;
  readonly position: number;
  /** As shown: maintenance applied; `no_data` until the checks have settled a status. */
  readonly status: ShownStatus;
  /** The debounced health; null while there is no data. */
  readonly health: HealthStatus | null;
  /** Since when it shows `status`: the last change, the maintenance window's start, or when it was first seen. */
  readonly since: Date;
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
  readonly status: ShownStatus;
  /** See `statusSince`: null when no member has data. */
  readonly since: Date | null;
  readonly components: readonly ComponentView[];
}

export interface StatusSnapshot {
  readonly generatedAt: Date;
  readonly page: { readonly id: string; readonly name: string; readonly url: string };
  /** Computed over the components with data only. */
  readonly status: { readonly indicator: PageIndicator; readonly description: string };
  /** Since when the page shows what its banner says (see `statusSince`); null without data. */
  readonly statusSince: Date | null;
  /** How many components have no data yet and are left out of `status`. */
  readonly withoutData: number;
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
