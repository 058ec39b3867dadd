/**
 * Pieces the public pages share: the overall banner, "since when" text, the 90-day bar with a
 * tooltip per day, incident cards. All HTML strings, every interpolated value escaped.
 */
import { formatSpan, statusLabel, type DayBar, type ShownStatus } from '@orcest/monitoring';
import type { IncidentWithUpdates } from '../store/incident-store';
import type { StatusSnapshot } from '../summary/status-snapshot';
import { escapeHtml, formatTime, percent } from './html';

/**
 * The overall banner: the page status over the components with data, since when, and how many
 * components it leaves out for having no data yet (grey "No data yet" when none has any).
 */
export function banner(s: StatusSnapshot): string {
  const now = s.generatedAt.getTime();
  const counted = s.components.length - s.withoutData;
  const cls: ShownStatus = counted === 0 ? 'no_data' : s.status.indicator === 'none' ? 'operational' : s.status.indicator === 'maintenance' ? 'under_maintenance' : s.status.indicator === 'minor' ? 'degraded_performance' : s.status.indicator === 'major' ? 'partial_outage' : 'major_outage';
  const since = s.statusSince ? ` <span class="since">${sinceText(s.statusSince, now)}</span>` : '';
  const note =
    s.withoutData === 0
      ? ''
      : counted === 0
        ? `<div class="note">No component has been checked yet.</div>`
        : `<div class="note" id="no-data-note">${s.withoutData} of ${s.components.length} components have no data yet and are not counted.</div>`;
  return `<div class="card banner s-${cls}" role="status" id="overall"><span id="overall-text">${escapeHtml(s.status.description)}</span>${since}${note}</div>`;
}

/** "for 12 min", with the exact time as a tooltip and a machine-readable datetime. */
export function sinceText(since: Date, now: number): string {
  return `<time datetime="${since.toISOString()}" title="since ${formatTime(since)}">for ${formatSpan(now - since.getTime())}</time>`;
}

/** A status word and since when: "Major outage for 12 min". No data has no "since" worth saying. */
export function statusWithSince(status: ShownStatus, since: Date | null, now: number): string {
  if (status === 'no_data' || since === null) return `<span class="label">${statusLabel(status)}</span>`;
  return `<span class="label">${statusLabel(status)}</span> <span class="since">${sinceText(since, now)}</span>`;
}

/** One day of the 90-day bar: colour by uptime, the day's figures as tooltip (CSS, so a tap shows it). */
export function dayBar(b: DayBar): string {
  const r = b.uptime.ratio;
  const cls = r === null ? 'nodata' : r >= 1 ? 'operational' : r >= 0.99 ? 'degraded_performance' : r >= 0.95 ? 'partial_outage' : 'major_outage';
  const day = new Date(b.day).toISOString().slice(0, 10);
  const tip =
    r === null
      ? `${day}\nNo data${b.uptime.maintenanceChecks ? ' (maintenance)' : ''}`
      : `${day}\n${percent(r)} uptime\n${b.uptime.failures} failed of ${b.uptime.checks} checks${b.uptime.maintenanceChecks ? `\n${b.uptime.maintenanceChecks} during maintenance` : ''}`;
  return `<span class="bar s-${cls}" tabindex="0" data-tip="${escapeHtml(tip)}" title="${escapeHtml(tip)}"></span>`;
}

export function componentNames(ids: readonly string[], s: StatusSnapshot): string {
  return ids.map((id) => s.components.find((c) => c.id === id)?.name ?? id).join(', ');
}

export function incidentCard(i: IncidentWithUpdates, s: StatusSnapshot): string {
  return `<div class="card incident" id="incident-${escapeHtml(i.id)}"><h3><a href="/incidents/${escapeHtml(i.id)}">${escapeHtml(i.name)}</a></h3><div class="muted">${escapeHtml(componentNames(i.componentIds, s))} · impact ${escapeHtml(i.impact)} · ${formatTime(i.createdAt)}${i.resolvedAt ? ` → resolved ${formatTime(i.resolvedAt)}` : ''}</div>
${i.updates.slice(0, 5).map((u) => `<p class="update"><b>${escapeHtml(u.status)}</b> — ${escapeHtml(u.body)} <span class="muted">${formatTime(u.createdAt)}</span></p>`).join('')}</div>`;
}
