/**
 * The snapshot in Atlassian Statuspage's public API shape (`/api/v2/*.json`), field for field,
 * so any Statuspage client or widget reads it: components (groups are components with
 * `group: true`), incidents with their updates, scheduled maintenances, and the page status.
 *
 * Statuspage has no word for "no data": a component whose checks have not settled a status
 * yet is left out (as are groups with only such members), rather than called operational. A
 * client asking for it finds nothing, which is the truth; it appears with its first status.
 * The page `status` is computed over the components with data only.
 */
import type { StatusMaintenance } from '@orcest/db';
import type { IncidentWithUpdates } from '../store/incident-store';
import { maintenanceStatus, type ComponentView, type StatusSnapshot } from './status-snapshot';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function pageJson(s: StatusSnapshot) {
  const updated = [s.generatedAt, ...s.components.map((c) => c.updatedAt), ...s.incidents.map((i) => i.updatedAt)].reduce((a, b) => (b > a ? b : a));
  return { id: s.page.id, name: s.page.name, url: s.page.url, time_zone: 'Etc/UTC', updated_at: updated.toISOString() };
}

/** The components that have a status Statuspage can name. */
function withData(components: readonly ComponentView[]): ComponentView[] {
  return components.filter((c) => c.status !== 'no_data');
}

export function componentsJson(s: StatusSnapshot) {
  const components = withData(s.components).map((c) => componentJson(s, c));
  const groups = s.groups.filter((g) => g.status !== 'no_data').map((g) => ({
    id: g.id,
    name: g.name,
    status: g.status,
    created_at: iso(minDate(g.components.map((c) => c.createdAt)) ?? s.generatedAt),
    updated_at: iso(maxDate(g.components.map((c) => c.updatedAt)) ?? s.generatedAt),
    position: g.position,
    description: null,
    showcase: false,
    start_date: null,
    group_id: null,
    page_id: s.page.id,
    group: true,
    only_show_if_degraded: false,
    components: withData(g.components).map((c) => c.id),
  }));
  return [...groups, ...components];
}

function componentJson(s: StatusSnapshot, c: ComponentView) {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    position: c.position,
    description: c.description,
    showcase: true,
    start_date: c.createdAt.toISOString().slice(0, 10),
    group_id: c.groupId,
    page_id: s.page.id,
    group: false,
    only_show_if_degraded: false,
  };
}

export function incidentJson(s: StatusSnapshot, i: IncidentWithUpdates) {
  const byId = new Map(withData(s.components).map((c) => [c.id, c]));
  const affected = i.componentIds.flatMap((id) => {
    const c = byId.get(id);
    return c ? [componentJson(s, c)] : [];
  });
  return {
    id: i.id,
    name: i.name,
    status: i.status,
    created_at: i.createdAt.toISOString(),
    updated_at: i.updatedAt.toISOString(),
    monitoring_at: iso(i.monitoringAt),
    resolved_at: iso(i.resolvedAt),
    impact: i.impact,
    shortlink: `${s.page.url}/incidents/${i.id}`,
    started_at: i.createdAt.toISOString(),
    page_id: s.page.id,
    incident_updates: i.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: i.id,
      created_at: u.createdAt.toISOString(),
      updated_at: u.createdAt.toISOString(),
      display_at: u.createdAt.toISOString(),
      affected_components: affected.map((c) => ({ code: c.id, name: c.name, old_status: c.status, new_status: c.status })),
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: affected,
  };
}

export function maintenanceJson(s: StatusSnapshot, m: StatusMaintenance) {
  const now = s.generatedAt.getTime();
  const byId = new Map(withData(s.components).map((c) => [c.id, c]));
  const components = m.componentIds.flatMap((id) => {
    const c = byId.get(id);
    return c ? [componentJson(s, c)] : [];
  });
  const status = maintenanceStatus(m, now);
  return {
    id: m.id,
    name: m.name,
    status,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
    monitoring_at: null,
    resolved_at: iso(m.completedAt ?? (status === 'completed' ? m.scheduledUntil : null)),
    impact: 'maintenance',
    shortlink: `${s.page.url}/#maintenance-${m.id}`,
    started_at: m.scheduledFor.toISOString(),
    page_id: s.page.id,
    scheduled_for: m.scheduledFor.toISOString(),
    scheduled_until: m.scheduledUntil.toISOString(),
    incident_updates: m.body
      ? [{ id: `${m.id}-1`, status, body: m.body, incident_id: m.id, created_at: m.createdAt.toISOString(), updated_at: m.updatedAt.toISOString(), display_at: m.createdAt.toISOString(), affected_components: [], deliver_notifications: true, custom_tweet: null, tweet_id: null }]
      : [],
    components,
  };
}

export function statusJson(s: StatusSnapshot) {
  return { page: pageJson(s), status: s.status };
}

export function summaryJson(s: StatusSnapshot) {
  return {
    page: pageJson(s),
    components: componentsJson(s),
    incidents: s.incidents.filter((i) => i.resolvedAt === null).map((i) => incidentJson(s, i)),
    scheduled_maintenances: s.maintenances.map((m) => maintenanceJson(s, m)),
    status: s.status,
  };
}

export function incidentsJson(s: StatusSnapshot, which: 'all' | 'unresolved') {
  const list = which === 'all' ? s.incidents : s.incidents.filter((i) => i.resolvedAt === null);
  return { page: pageJson(s), incidents: list.map((i) => incidentJson(s, i)) };
}

export function maintenancesJson(s: StatusSnapshot, which: 'all' | 'upcoming' | 'active') {
  const now = s.generatedAt.getTime();
  const all = which === 'all' ? mergeById(s.maintenances, s.recentMaintenances) : s.maintenances;
  const list = all.filter((m) => which === 'all' || maintenanceStatus(m, now) === (which === 'upcoming' ? 'scheduled' : 'in_progress'));
  return { page: pageJson(s), scheduled_maintenances: list.map((m) => maintenanceJson(s, m)) };
}

function mergeById(a: readonly StatusMaintenance[], b: readonly StatusMaintenance[]): StatusMaintenance[] {
  const seen = new Set(a.map((m) => m.id));
  return [...a, ...b.filter((m) => !seen.has(m.id))];
}

function minDate(dates: Date[]): Date | undefined {
  return dates.length ? dates.reduce((a, b) => (b < a ? b : a)) : undefined;
}

function maxDate(dates: Date[]): Date | undefined {
  return dates.length ? dates.reduce((a, b) => (b > a ? b : a)) : undefined;
}
