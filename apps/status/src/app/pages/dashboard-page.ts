/**
 * The public dashboard, rendered on the server from a snapshot: no JavaScript, one request,
 * a `<meta refresh>` to stay live. Tooltips on the 90-day bars are CSS (`:hover`/`:focus`, so a
 * tap shows them on a phone), phones see the last 30 days, dark mode follows the system.
 */
import { formatSpan, statusLabel, type DayBar, type ResponsePoint, type ShownStatus } from '@orcest/monitoring';
import type { IncidentWithUpdates } from '../store/incident-store';
import { maintenanceStatus, type ComponentView, type StatusSnapshot } from '../summary/status-snapshot';
import { escapeHtml, formatTime, layout, percent } from './html';

export function renderDashboard(s: StatusSnapshot, refreshSeconds = 60): string {
  const now = s.generatedAt.getTime();
  const open = s.incidents.filter((i) => i.resolvedAt === null);
  const past = s.incidents.filter((i) => i.resolvedAt !== null).slice(0, 10);
  const body = `
<h1>${escapeHtml(s.page.name)}</h1>
${banner(s)}
${open.length ? `<h2>Active incidents</h2>${open.map((i) => incidentCard(i, s)).join('')}` : ''}
${s.maintenances.length ? `<h2>Maintenance</h2>${s.maintenances.map((m) => `<div class="card s-under_maintenance" id="maintenance-${escapeHtml(m.id)}"><div class="row"><strong>${escapeHtml(m.name)}</strong><span class="label">${maintenanceStatus(m, now) === 'in_progress' ? 'In progress' : 'Scheduled'}</span></div><div class="muted">${formatTime(m.scheduledFor)} → ${formatTime(m.scheduledUntil)} · ${escapeHtml(componentNames(m.componentIds, s))}</div>${m.body ? `<p class="update">${escapeHtml(m.body)}</p>` : ''}</div>`).join('')}` : ''}
${s.groups.map((g) => `<h2 class="s-${g.status}"><span class="dot"></span>${escapeHtml(g.name)}</h2><div class="card">${g.components.map((c) => componentRow(c, now)).join('')}</div>`).join('')}
<h2>Past incidents</h2>
${past.length ? past.map((i) => incidentCard(i, s)).join('') : '<p class="muted">No incidents reported.</p>'}
<footer class="muted">Updated ${formatTime(s.generatedAt)} ·
<a href="/api/v2/summary.json">JSON API</a><a href="/history.atom">Atom feed</a><a href="/admin">Admin</a></footer>`;
  return layout(s.page.name, body, { refreshSeconds, head: '<link rel="alternate" type="application/atom+xml" title="Incidents" href="/history.atom">' });
}

/**
 * The overall banner: the page status over the components with data, since when, and how many
 * components it leaves out for having no data yet (grey "No data yet" when none has any).
 */
function banner(s: StatusSnapshot): string {
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

/** "for 12 min", with the exact time as a tooltip and machine-readable datetime. */
export function sinceText(since: Date, now: number): string {
  return `<time datetime="${since.toISOString()}" title="since ${formatTime(since)}">for ${formatSpan(now - since.getTime())}</time>`;
}

/** A status word and since when: "Major outage for 12 min"; no data says since when it was added. */
export function statusWithSince(status: ShownStatus, since: Date | null, now: number): string {
  if (status === 'no_data' || since === null) return `<span class="label">${statusLabel(status)}</span>`;
  return `<span class="label">${statusLabel(status)}</span> <span class="since">${sinceText(since, now)}</span>`;
}

function componentRow(c: ComponentView, now: number): string {
  const u = c.uptime;
  return `<section class="comp s-${c.status}" id="c-${escapeHtml(c.id)}" data-status="${c.status}">
<div class="row"><span><strong>${escapeHtml(c.name)}</strong>${c.description ? ` <span class="muted">${escapeHtml(c.description)}</span>` : ''}</span><span>${statusWithSince(c.status, c.since, now)}</span></div>
<div class="bars" aria-label="Daily uptime, last 90 days">${c.bars.map(bar).join('')}</div>
<div class="axis muted"><span><span class="d90">90 days ago</span><span class="d30">30 days ago</span></span><span>${percent(u['90d'].ratio)} over 90 days</span><span>Today</span></div>
<div class="muted">Uptime 24 h ${percent(u['24h'].ratio)} · 7 d ${percent(u['7d'].ratio)} · 30 d ${percent(u['30d'].ratio)}${c.lastResponseMs !== null ? ` · last response ${c.lastResponseMs} ms` : ''}${c.lastCheckedAt ? ` · checked ${formatTime(c.lastCheckedAt)}` : ' · not checked yet'}</div>
${sparkline(c.response)}
</section>`;
}

function bar(b: DayBar): string {
  const r = b.uptime.ratio;
  const cls = r === null ? 'nodata' : r >= 1 ? 'operational' : r >= 0.99 ? 'degraded_performance' : r >= 0.95 ? 'partial_outage' : 'major_outage';
  const day = new Date(b.day).toISOString().slice(0, 10);
  const tip =
    r === null
      ? `${day}\nNo data${b.uptime.maintenanceChecks ? ' (maintenance)' : ''}`
      : `${day}\n${percent(r)} uptime\n${b.uptime.failures} failed of ${b.uptime.checks} checks${b.uptime.maintenanceChecks ? `\n${b.uptime.maintenanceChecks} during maintenance` : ''}`;
  return `<span class="bar s-${cls}" tabindex="0" data-tip="${escapeHtml(tip)}" title="${escapeHtml(tip)}"></span>`;
}

/** Hourly mean response time over 24 h as an inline SVG polyline (no JavaScript, no library). */
function sparkline(points: readonly ResponsePoint[]): string {
  const values = points.map((p) => p.avgMs);
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '';
  const max = Math.max(...known, 1);
  const step = 100 / Math.max(points.length - 1, 1);
  const coords = values.flatMap((v, i) => (v === null ? [] : [`${(i * step).toFixed(1)},${(38 - (v / max) * 34).toFixed(1)}`]));
  // A single hour of data is a point, not a line: draw it as a short level segment at the right.
  if (coords.length === 1) coords.unshift(`${(100 - step).toFixed(1)},${coords[0].split(',')[1]}`);
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  return `<svg class="spark" viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label="Response time, last 24 hours: mean ${Math.round(mean)} ms, max ${Math.round(max)} ms"><title>Response time, last 24 h: mean ${Math.round(mean)} ms, max ${Math.round(max)} ms</title><polyline points="${coords.join(' ')}" vector-effect="non-scaling-stroke"/></svg><div class="muted">Response time (24 h): mean ${Math.round(mean)} ms · max ${Math.round(max)} ms</div>`;
}

function incidentCard(i: IncidentWithUpdates, s: StatusSnapshot): string {
  return `<div class="card incident" id="incident-${escapeHtml(i.id)}"><h3><a href="/incidents/${escapeHtml(i.id)}">${escapeHtml(i.name)}</a></h3><div class="muted">${escapeHtml(componentNames(i.componentIds, s))} · impact ${escapeHtml(i.impact)} · ${formatTime(i.createdAt)}${i.resolvedAt ? ` → resolved ${formatTime(i.resolvedAt)}` : ''}</div>
${i.updates.slice(0, 5).map((u) => `<p class="update"><b>${escapeHtml(u.status)}</b> — ${escapeHtml(u.body)} <span class="muted">${formatTime(u.createdAt)}</span></p>`).join('')}</div>`;
}

function componentNames(ids: readonly string[], s: StatusSnapshot): string {
  return ids.map((id) => s.components.find((c) => c.id === id)?.name ?? id).join(', ');
}

/** One incident with its whole timeline: what Statuspage's `shortlink` points to. */
export function renderIncidentPage(i: IncidentWithUpdates, s: StatusSnapshot): string {
  const timeline = i.updates.map((u) => `<p class="update"><b>${escapeHtml(u.status)}</b> — ${escapeHtml(u.body)} <span class="muted">${formatTime(u.createdAt)}</span></p>`).join('');
  return layout(`${i.name} — ${s.page.name}`, `<h1>${escapeHtml(i.name)}</h1><div class="card incident" id="incident-${escapeHtml(i.id)}"><div class="muted">${escapeHtml(componentNames(i.componentIds, s))} · impact ${escapeHtml(i.impact)} · ${formatTime(i.createdAt)}${i.resolvedAt ? ` → resolved ${formatTime(i.resolvedAt)}` : ''}</div>${timeline}</div><footer class="muted"><a href="/">${escapeHtml(s.page.name)}</a></footer>`);
}
