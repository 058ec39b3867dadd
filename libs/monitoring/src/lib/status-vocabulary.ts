/**
 * Atlassian Statuspage's vocabulary, which the dashboard, the JSON API and the webhooks all
 * speak, and the one ordering of severity everything else compares with.
 */
export const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** What checks can say about a component; maintenance comes from the operator, not from checks. */
export type HealthStatus = Exclude<ComponentStatus, 'under_maintenance'>;

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

export function isOutage(status: ComponentStatus): boolean {
  return status === 'partial_outage' || status === 'major_outage';
}

/**
 * A group's status from its members: the worst one, except that an outage of only some
 * members is a partial outage of the group.
 */
export function groupStatus(members: readonly ComponentStatus[]): ComponentStatus {
  if (members.length === 0) return 'operational';
  let worst: ComponentStatus = 'operational';
  for (const s of members) if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  if (worst === 'major_outage' && members.some((s) => s !== 'major_outage')) return 'partial_outage';
  return worst;
}

/** Statuspage's page-level `status` object, from the components' statuses. */
export function pageStatus(statuses: readonly ComponentStatus[]): { indicator: PageIndicator; description: string } {
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

const LABELS: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

export function statusLabel(status: ComponentStatus): string {
  return LABELS[status];
}
