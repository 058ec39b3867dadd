/**
 * The public dashboard, rendered on the server from a snapshot: no JavaScript, one request,
 * a `<meta refresh>` to stay live. Read at a glance: a group whose components are all fine is
 * one line (`<details>`, expands without JavaScript); a group with trouble (or maintenance) is
 * open with its troubled components first. Each component is one compact row — status and
 * since when, 90 daily bars with a tooltip per day (CSS `:hover`/`:focus`, so a tap shows it;
 * phones see 30 days), uptime by window, and a small 24 h p50/p95 chart — so twenty fit in
 * about two desktop screens. Its own page (`/components/:id`) has the rest.
 */
import { isTroubled, severity, statusLabel, type ShownStatus } from '@orcest/monitoring';
import { maintenanceStatus, type ComponentView, type GroupView, type StatusSnapshot } from '../summary/status-snapshot';
import { escapeHtml, formatTime, layout, percent } from './html';
import { banner, componentNames, dayBar, incidentCard, sinceText, statusWithSince } from './page-parts';
import { renderResponseChart } from './response-chart';
import { subscribeForm } from './subscribe-pages';

export function renderDashboard(s: StatusSnapshot, options: { emailEnabled?: boolean; refreshSeconds?: number } = {}): string {
  const now = s.generatedAt.getTime();
  const open = s.incidents.filter((i) => i.resolvedAt === null);
  const past = s.incidents.filter((i) => i.resolvedAt !== null).slice(0, 10);
  const body = `
<h1>${escapeHtml(s.page.name)}</h1>
${banner(s)}
${open.length ? `<h2>Active incidents</h2>${open.map((i) => incidentCard(i, s)).join('')}` : ''}
${s.maintenances.length ? `<h2>Maintenance</h2>${s.maintenances.map((m) => `<div class="card s-under_maintenance" id="maintenance-${escapeHtml(m.id)}"><div class="row"><strong>${escapeHtml(m.name)}</strong><span class="label">${maintenanceStatus(m, now) === 'in_progress' ? 'In progress' : 'Scheduled'}</span></div><div class="muted">${formatTime(m.scheduledFor)} → ${formatTime(m.scheduledUntil)} · ${escapeHtml(componentNames(m.componentIds, s))}</div>${m.body ? `<p class="update">${escapeHtml(m.body)}</p>` : ''}</div>`).join('')}` : ''}
<h2>Components</h2>
${s.groups.map((g) => groupBlock(g, now)).join('\n')}
<h2>Past incidents</h2>
${past.length ? past.map((i) => incidentCard(i, s)).join('') : '<p class="muted">No incidents reported.</p>'}
${subscribeForm({ emailEnabled: options.emailEnabled ?? false, components: s.components })}
<footer class="muted">Updated ${formatTime(s.generatedAt)} ·
<a href="/api/v2/summary.json">JSON API</a><a href="/history.atom">Atom feed</a><a href="/admin">Admin</a></footer>`;
  return layout(s.page.name, body, { refreshSeconds: options.refreshSeconds ?? 60, head: '<link rel="alternate" type="application/atom+xml" title="Incidents" href="/history.atom">' });
}

/** Trouble or maintenance is news: such a group opens; any other stays one line. */
function needsAttention(c: ComponentView): boolean {
  return isTroubled(c.status) || c.status === 'under_maintenance';
}

/** Worst first, maintenance next, the rest in the configured order (the sort is stable). */
function rank(status: ShownStatus): number {
  if (status === 'no_data') return 0;
  return isTroubled(status) || status === 'under_maintenance' ? severity(status) : 0;
}

function groupBlock(g: GroupView, now: number): string {
  const open = g.components.some(needsAttention);
  const members = open ? [...g.components].sort((a, b) => rank(b.status) - rank(a.status)) : g.components;
  const word = g.status === 'operational' ? 'All operational' : statusLabel(g.status);
  const since = g.since && g.status !== 'no_data' ? ` <span class="since">${sinceText(g.since, now)}</span>` : '';
  const withoutData = g.components.filter((c) => c.status === 'no_data').length;
  const count = `${g.components.length} component${g.components.length === 1 ? '' : 's'}${withoutData > 0 && g.status !== 'no_data' ? ` · ${withoutData} without data` : ''}`;
  return `<details class="group s-${g.status}" id="${escapeHtml(g.id)}"${open ? ' open' : ''}><summary><span class="dot"></span><strong>${escapeHtml(g.name)}</strong> <span class="label">${word}</span>${since} <span class="muted count">${count}</span></summary>
<div class="card">${members.map((c) => componentRow(c, now)).join('')}</div></details>`;
}

function componentRow(c: ComponentView, now: number): string {
  const u = c.uptime;
  const title = c.description ? ` title="${escapeHtml(c.description)}"` : '';
  return `<section class="comp s-${c.status}" id="c-${escapeHtml(c.id)}" data-status="${c.status}">
<div class="who"><a class="name" href="/components/${encodeURIComponent(c.id)}"${title}><strong>${escapeHtml(c.name)}</strong></a><span class="state">${statusWithSince(c.status, c.since, now)}</span></div>
<div class="history"><div class="bars" aria-label="Daily uptime, last 90 days">${c.bars.map(dayBar).join('')}</div>
<div class="axis muted"><span><span class="d90">90 days ago</span><span class="d30">30 days ago</span></span><span class="uptime">Uptime 24 h ${percent(u['24h'].ratio)} · 7 d ${percent(u['7d'].ratio)} · 30 d ${percent(u['30d'].ratio)}<span class="d90"> · 90 d ${percent(u['90d'].ratio)}</span></span><span>Today</span></div></div>
<a class="rt" href="/components/${encodeURIComponent(c.id)}" aria-label="Response times of ${escapeHtml(c.name)}">${renderResponseChart(c.response, { width: 220, height: 52, span: '24 h', compact: true })}</a>
</section>`;
}
