/**
 * The operator's pages: incidents (create, add updates) and maintenance windows, plus sign-in
 * states. Only here are the checks' raw errors shown (addresses, ports, what a target sent):
 * the public views get plain words.
 */
import type { StatusMaintenance } from '@orcest/db';
import { INCIDENT_IMPACTS, INCIDENT_STATUSES } from '@orcest/monitoring';
import type { AdminSession } from '../admin/admin-auth';
import type { HistoryWriterStats } from '../store/history-writer';
import type { IncidentWithUpdates } from '../store/incident-store';
import { maintenanceStatus } from '../summary/status-snapshot';
import { escapeHtml, formatTime, layout } from './html';

export interface AdminView {
  readonly pageName: string;
  readonly session: AdminSession;
  readonly components: readonly { id: string; name: string; status: string; lastCheckedAt: Date | null; lastError: string | null }[];
  /** This replica's history writer (only the checking replica writes). */
  readonly writer: HistoryWriterStats;
  readonly incidents: readonly IncidentWithUpdates[];
  readonly maintenances: readonly StatusMaintenance[];
  readonly now: number;
}

const options = (values: readonly string[], selected?: string) => values.map((v) => `<option value="${v}"${v === selected ? ' selected' : ''}>${v}</option>`).join('');

export function renderAdmin(v: AdminView): string {
  const csrf = `<input type="hidden" name="csrf" value="${escapeHtml(v.session.csrf)}">`;
  const componentSelect = `<select name="component_ids" multiple size="6">${v.components.map((c) => `<option value="${escapeHtml(c.id)}">${escapeHtml(c.name)}</option>`).join('')}</select>`;
  const open = v.incidents.filter((i) => i.resolvedAt === null);
  const body = `<h1>${escapeHtml(v.pageName)} — admin</h1>
<div class="card row"><span>Signed in as <strong id="who">${escapeHtml(v.session.name)}</strong> (${escapeHtml(v.session.role)})</span>
<form method="post" action="/admin/logout">${csrf}<button type="submit">Sign out</button></form></div>
<h2>Open incidents</h2>
${open.length === 0 ? '<p class="muted" id="no-open">None.</p>' : open.map((i) => `<div class="card incident" id="incident-${escapeHtml(i.id)}"><h3>${escapeHtml(i.name)}</h3><div class="muted">${escapeHtml(i.status)} · impact ${escapeHtml(i.impact)} · ${i.auto ? 'opened by the checker' : 'opened by an operator'} · ${formatTime(i.createdAt)}</div>
${i.updates.map((u) => `<p class="update"><b>${escapeHtml(u.status)}</b> — ${escapeHtml(u.body)} <span class="muted">${formatTime(u.createdAt)}</span></p>`).join('')}
<form class="admin" method="post" action="/admin/incidents/${escapeHtml(i.id)}/updates">${csrf}<label>Status<select name="status">${options(INCIDENT_STATUSES, i.status)}</select></label><label>Update<textarea name="body" required rows="2"></textarea></label><button type="submit">Post update</button></form></div>`).join('')}
${checksSection(v)}
<h2>New incident</h2>
<form class="admin card" method="post" action="/admin/incidents" id="new-incident">${csrf}
<label>Title<input name="name" required maxlength="200"></label>
<label>Status<select name="status">${options(INCIDENT_STATUSES.filter((s) => s !== 'postmortem'), 'investigating')}</select></label>
<label>Impact<select name="impact">${options(INCIDENT_IMPACTS, 'minor')}</select></label>
<label>Components${componentSelect}</label>
<label>Message<textarea name="body" required rows="3"></textarea></label><button type="submit">Open incident</button></form>
<h2>Maintenance</h2>
${v.maintenances.map((m) => `<div class="card" id="maintenance-${escapeHtml(m.id)}"><div class="row"><strong>${escapeHtml(m.name)}</strong><span class="muted">${maintenanceStatus(m, v.now).replace('_', ' ')}</span></div><div class="muted">${formatTime(m.scheduledFor)} → ${formatTime(m.scheduledUntil)} · ${escapeHtml(m.componentIds.join(', '))}</div>
${maintenanceStatus(m, v.now) !== 'completed' ? `<form method="post" action="/admin/maintenances/${escapeHtml(m.id)}/complete">${csrf}<button type="submit">End now</button></form>` : ''}</div>`).join('')}
<form class="admin card" method="post" action="/admin/maintenances" id="new-maintenance">${csrf}
<label>Title<input name="name" required maxlength="200"></label>
<label>Starts (UTC)<input name="scheduled_for" type="datetime-local" required></label>
<label>Ends (UTC)<input name="scheduled_until" type="datetime-local" required></label>
<label>Components${componentSelect}</label>
<label>Details<textarea name="body" rows="2"></textarea></label><button type="submit">Schedule maintenance</button></form>
<footer class="muted"><a href="/">Public page</a></footer>`;
  return layout(`Admin — ${v.pageName}`, body);
}

/** The last raw error of each component, and what the history writer had to drop. */
function checksSection(v: AdminView): string {
  const rows = v.components
    .map((c) => `<tr id="check-${escapeHtml(c.id)}"><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.status.replace(/_/g, ' '))}</td><td class="muted">${c.lastCheckedAt ? formatTime(c.lastCheckedAt) : 'not yet'}</td><td><code class="raw-error">${escapeHtml(c.lastError ?? '')}</code></td></tr>`)
    .join('');
  const w = v.writer;
  const refused = w.refused.status_checks + w.refused.status_rollups + w.refused.status_component_states;
  const last = w.lastRefusal ? ` Last: ${escapeHtml(w.lastRefusal.table)} row of ${escapeHtml(w.lastRefusal.componentId)} at ${formatTime(new Date(w.lastRefusal.at))} (${escapeHtml(w.lastRefusal.reason)}).` : '';
  return `<h2>Checks (raw detail, admin only)</h2>
<div class="card"><table class="checks"><thead><tr><th>Component</th><th>Status</th><th>Last check</th><th>Last error</th></tr></thead><tbody>${rows}</tbody></table>
<p class="muted" id="writer-stats">History writer on this replica: <span id="refused-rows">${refused}</span> rows refused by PostgreSQL and dropped (checks ${w.refused.status_checks}, roll-ups ${w.refused.status_rollups}, states ${w.refused.status_component_states}); ${w.dropped} raw checks dropped.${last}</p></div>`;
}

export function renderMessagePage(title: string, message: string, action?: { href: string; label: string }): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><div class="card"><p id="message">${escapeHtml(message)}</p>${action ? `<p><a id="action" href="${escapeHtml(action.href)}">${escapeHtml(action.label)}</a></p>` : ''}</div><footer class="muted"><a href="/">Public page</a></footer>`);
}
