/**
 * What subscribers receive, rendered once per subscriber when an event is queued: plain-text
 * mail (with its unsubscribe link) and webhook bodies in Statuspage's incident-webhook shape
 * (`{meta: {unsubscribe, documentation}, page: {id, status_indicator, status_description},
 * incident: {…}}`; a maintenance window is sent as an incident with impact `maintenance`, as
 * Statuspage does). Only public text goes in: names, update bodies, the page's links.
 */
import type { StatusIncident, StatusIncidentUpdate, StatusMaintenance } from '@orcest/db';
import type { PageIndicator } from '@orcest/monitoring';

export interface PageInfo {
  readonly id: string;
  readonly name: string;
  readonly url: string;
}

export interface Rendered {
  readonly subject: string;
  readonly body: string;
}

const DOCUMENTATION = 'https://developer.statuspage.io/#section/Webhooks';
const STATUS_WORDS: Record<string, string> = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved', postmortem: 'Postmortem' };

function footer(page: PageInfo, scope: string, unsubscribeUrl: string): string {
  return `\n--\nYou receive this because you subscribed to ${page.name} (${scope}).\nUnsubscribe: ${unsubscribeUrl}\n`;
}

export function scopeText(componentNames: readonly string[]): string {
  return componentNames.length === 0 ? 'every component' : componentNames.join(', ');
}

export function confirmationMail(page: PageInfo, confirmUrl: string, scope: string): Rendered {
  return {
    subject: `Confirm your subscription to ${page.name}`,
    body: `Someone (hopefully you) asked to receive ${page.name} notifications at this address for ${scope}.\n\nConfirm: ${confirmUrl}\n\nIf it was not you, ignore this mail: nothing will be sent without the confirmation.\n`,
  };
}

export function incidentMail(page: PageInfo, incident: StatusIncident, update: StatusIncidentUpdate, componentNames: readonly string[], scope: string, unsubscribeUrl: string): Rendered {
  const word = STATUS_WORDS[update.status] ?? update.status;
  return {
    subject: `[${page.name}] ${incident.name}: ${word}`,
    body: `${incident.name}\nStatus: ${word} · impact ${incident.impact}${componentNames.length ? `\nComponents: ${componentNames.join(', ')}` : ''}\n\n${word} — ${update.body}\n(${update.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)\n\nDetails: ${page.url}/incidents/${incident.id}\n${footer(page, scope, unsubscribeUrl)}`,
  };
}

export function maintenanceMail(page: PageInfo, m: StatusMaintenance, phase: 'scheduled' | 'started', componentNames: readonly string[], scope: string, unsubscribeUrl: string): Rendered {
  const when = `${m.scheduledFor.toISOString().slice(0, 16).replace('T', ' ')} UTC → ${m.scheduledUntil.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return {
    subject: `[${page.name}] Maintenance ${phase === 'scheduled' ? 'scheduled' : 'started'}: ${m.name}`,
    body: `${m.name}\n${phase === 'scheduled' ? 'Scheduled' : 'In progress'}: ${when}${componentNames.length ? `\nComponents: ${componentNames.join(', ')}` : ''}${m.body ? `\n\n${m.body}` : ''}\n\nDetails: ${page.url}/#maintenance-${m.id}\n${footer(page, scope, unsubscribeUrl)}`,
  };
}

interface WebhookContext {
  readonly page: PageInfo;
  readonly pageStatus: { readonly indicator: PageIndicator; readonly description: string };
  readonly unsubscribeUrl: string;
  readonly components: readonly { readonly id: string; readonly name: string }[];
}

function envelope(c: WebhookContext, incident: Record<string, unknown>): string {
  return JSON.stringify({
    meta: { unsubscribe: c.unsubscribeUrl, documentation: DOCUMENTATION },
    page: { id: c.page.id, status_indicator: c.pageStatus.indicator, status_description: c.pageStatus.description },
    incident,
  });
}

export function incidentWebhook(c: WebhookContext, incident: StatusIncident, updates: readonly StatusIncidentUpdate[]): string {
  return envelope(c, {
    id: incident.id,
    name: incident.name,
    status: incident.status,
    impact: incident.impact,
    created_at: incident.createdAt.toISOString(),
    updated_at: incident.updatedAt.toISOString(),
    monitoring_at: incident.monitoringAt?.toISOString() ?? null,
    resolved_at: incident.resolvedAt?.toISOString() ?? null,
    started_at: incident.createdAt.toISOString(),
    shortlink: `${c.page.url}/incidents/${incident.id}`,
    page_id: c.page.id,
    backfilled: false,
    incident_updates: updates.map((u) => ({ id: u.id, status: u.status, body: u.body, incident_id: incident.id, created_at: u.createdAt.toISOString(), updated_at: u.createdAt.toISOString(), display_at: u.createdAt.toISOString() })),
    components: c.components,
  });
}

export function maintenanceWebhook(c: WebhookContext, m: StatusMaintenance, phase: 'scheduled' | 'started'): string {
  const status = phase === 'scheduled' ? 'scheduled' : 'in_progress';
  return envelope(c, {
    id: m.id,
    name: m.name,
    status,
    impact: 'maintenance',
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
    monitoring_at: null,
    resolved_at: null,
    started_at: m.scheduledFor.toISOString(),
    scheduled_for: m.scheduledFor.toISOString(),
    scheduled_until: m.scheduledUntil.toISOString(),
    shortlink: `${c.page.url}/#maintenance-${m.id}`,
    page_id: c.page.id,
    backfilled: false,
    incident_updates: m.body ? [{ id: `${m.id}-${status}`, status, body: m.body, incident_id: m.id, created_at: m.updatedAt.toISOString(), updated_at: m.updatedAt.toISOString(), display_at: m.updatedAt.toISOString() }] : [],
    components: c.components,
  });
}
