/**
 * Atlassian Statuspage's vocabulary, which the dashboard, the JSON API and the webhooks all
 * speak, and the one ordering of severity everything else compares with.
 */
export const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** What checks can say about a component; maintenance comes from the operator, not from checks. */
export type HealthStatus = Exclude<ComponentStatus, 'under_maintenance'>;

/**
 * What the pages show: a Statuspage status, or `no_data` for a component whose checks have not
 * settled a status yet. Statuspage has no such word, so the JSON API leaves these components
 * out rather than call them operational (see statuspage-json.ts).
 */
export type ShownStatus = ComponentStatus | 'no_data';

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const INCIDENT_IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type IncidentImpact = (typeof INCIDENT_IMPACTS)[number];

export type MaintenanceStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed';

export type PageIndicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

const SEVERITY: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

export function severity(status: ComponentStatus): number {
  return SEVERITY[status];
}

export function isHealthStatus(value: string): value is HealthStatus {
  return value === 'operational' || value === 'degraded_performance' || value === 'partial_outage' || value === 'major_outage';
}

export function isOutage(status: ShownStatus): boolean {
  return status === 'partial_outage' || status === 'major_outage';
}

/**
 * A group's status from its members: the worst one, except that an outage of only some
 * members is a partial outage of the group.
 */
export function groupStatus(shown: readonly ShownStatus[]): ShownStatus {
  // Members without data say nothing about the group; a group of only those has no data itself.
  const members = shown.filter((s): s is ComponentStatus => s !== 'no_data');
  if (members.length === 0) return shown.length === 0 ? 'operational' : 'no_data';
  let worst: ComponentStatus = 'operational';
  for (const s of members) if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  if (worst === 'major_outage' && members.some((s) => s !== 'major_outage')) return 'partial_outage';
  return worst;
}

/**
 * Statuspage's page-level `status` object, from the components' statuses. Components without
 * data are left out (the dashboard says how many); with none counted the page has no data.
 */
export function pageStatus(shown: readonly ShownStatus[]): { indicator: PageIndicator; description: string } {
  const statuses = shown.filter((s): s is ComponentStatus => s !== 'no_data');
  if (statuses.length === 0 && shown.length > 0) return { indicator: 'none', description: 'No data yet' };
  let worst: ComponentStatus = 'operational';
  for (const s of statuses) if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  switch (worst) {
    case 'major_outage':
      return statuses.every((s) => s === 'major_outage')
        ? { indicator: 'critical', description: 'Major System Outage' }
        : { indicator: 'major', description: 'Partial System Outage' };
    case 'partial_outage':
      return { indicator: 'major', description: 'Partial System Outage' };
    case 'degraded_performance':
      return { indicator: 'minor', description: 'Partially Degraded Service' };
    case 'under_maintenance':
      return { indicator: 'maintenance', description: 'Service Under Maintenance' };
    default:
      return { indicator: 'none', description: 'All Systems Operational' };
  }
}

const LABELS: Record<ShownStatus, string> = {
  no_data: 'No data',
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

export function statusLabel(status: ShownStatus): string {
  return LABELS[status];
}

/** Anything worse than operational (maintenance and no data are not trouble). */
export function isTroubled(status: ShownStatus): boolean {
  return status === 'degraded_performance' || isOutage(status);
}

/**
 * Since when a set of components has shown what it shows together: while some are in trouble,
 * since the earliest of those troubles began ("down for 12 min"); otherwise since the latest
 * change (all have been fine since the last one recovered). Undefined when nothing has data.
 */
export function statusSince(members: readonly { readonly status: ShownStatus; readonly since: number }[]): number | undefined {
  const counted = members.filter((m) => m.status !== 'no_data');
  if (counted.length === 0) return undefined;
  const troubled = counted.filter((m) => isTroubled(m.status));
  return troubled.length > 0 ? Math.min(...troubled.map((m) => m.since)) : Math.max(...counted.map((m) => m.since));
}

/** A duration in the words a visitor reads at a glance: "less than a minute", "12 min", "3 h 5 min", "4 days". */
export function formatSpan(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day' : `${days} days`;
}
