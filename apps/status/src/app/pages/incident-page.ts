/** One incident with its whole timeline: what Statuspage's `shortlink` points to. */
import type { IncidentWithUpdates } from '../store/incident-store';
import type { StatusSnapshot } from '../summary/status-snapshot';
import { escapeHtml, formatTime, layout } from './html';
import { componentNames } from './page-parts';

export function renderIncidentPage(i: IncidentWithUpdates, s: StatusSnapshot): string {
  const timeline = i.updates.map((u) => `<p class="update"><b>${escapeHtml(u.status)}</b> — ${escapeHtml(u.body)} <span class="muted">${formatTime(u.createdAt)}</span></p>`).join('');
  return layout(`${i.name} — ${s.page.name}`, `<h1>${escapeHtml(i.name)}</h1><div class="card incident" id="incident-${escapeHtml(i.id)}"><div class="muted">${escapeHtml(componentNames(i.componentIds, s))} · impact ${escapeHtml(i.impact)} · ${formatTime(i.createdAt)}${i.resolvedAt ? ` → resolved ${formatTime(i.resolvedAt)}` : ''}</div>${timeline}</div><footer class="muted"><a href="/">${escapeHtml(s.page.name)}</a></footer>`);
}
