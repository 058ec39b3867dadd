/**
 * A component's own page (`/components/:id`): its status and since when, uptime by window with
 * the checks behind each figure, the 90 daily bars, response time over 24 h (hourly) and 7 d
 * (6-hourly) as p50/p95 charts, its latest checks and the incidents that named it.
 */
import { UPTIME_WINDOWS } from '@orcest/monitoring';
import type { ComponentDetails } from '../summary/component-details';
import type { ComponentView, StatusSnapshot } from '../summary/status-snapshot';
import { escapeHtml, formatTime, layout, percent } from './html';
import { dayBar, incidentCard, statusWithSince } from './page-parts';
import { renderResponseChart } from './response-chart';
import { subscribeForm } from './subscribe-pages';

const WINDOW_NAMES = { '24h': '24 h', '7d': '7 days', '30d': '30 days', '90d': '90 days' } as const;

export function renderComponentPage(c: ComponentView, details: ComponentDetails, s: StatusSnapshot, options: { emailEnabled?: boolean; refreshSeconds?: number } = {}): string {
  const now = s.generatedAt.getTime();
  const group = s.groups.find((g) => g.id === c.groupId);
  const uptimeRows = UPTIME_WINDOWS.map((w) => {
    const u = c.uptime[w];
    return `<tr id="uptime-${w}"><th scope="row">${WINDOW_NAMES[w]}</th><td>${percent(u.ratio)}</td><td>${u.checks}</td><td>${u.failures}</td><td>${u.maintenanceChecks}</td></tr>`;
  }).join('');
  const checks = details.checks.length
    ? `<div class="scroll"><table class="checks" id="recent-checks"><thead><tr><th>time (UTC)</th><th>result</th><th>response</th><th>HTTP</th></tr></thead><tbody>${details.checks
        .map((k) => `<tr><td><time datetime="${k.at.toISOString()}">${k.at.toISOString().slice(5, 19).replace('T', ' ')}</time></td><td class="${k.ok ? 'ok' : 'bad'}">${k.ok ? 'OK' : 'Failed'}${k.maintenance ? ' (maintenance)' : ''}</td><td>${k.responseMs} ms</td><td>${k.httpStatus ?? '—'}</td></tr>`)
        .join('')}</tbody></table></div>`
    : '<p class="muted">Not checked yet.</p>';
  const body = `<p class="muted crumbs"><a href="/">${escapeHtml(s.page.name)}</a>${group ? ` › ${escapeHtml(group.name)}` : ''}</p>
<h1>${escapeHtml(c.name)}</h1>
<div class="card comp-head s-${c.status}" id="component-status" data-status="${c.status}"><div class="row"><span>${c.description ? escapeHtml(c.description) : ''}</span><span>${statusWithSince(c.status, c.since, now)}</span></div>
<div class="muted">${c.lastCheckedAt ? `Last checked ${formatTime(c.lastCheckedAt)}${c.lastResponseMs !== null ? ` · answered in ${c.lastResponseMs} ms` : ''}` : 'Not checked yet: no data.'}</div></div>
<h2>Uptime</h2>
<div class="card"><div class="scroll"><table class="checks uptime-table"><thead><tr><th>window</th><th>uptime</th><th>checks</th><th>failed</th><th title="checks during maintenance, not counted">maint.</th></tr></thead><tbody>${uptimeRows}</tbody></table></div>
<div class="bars" aria-label="Daily uptime, last 90 days">${c.bars.map(dayBar).join('')}</div>
<div class="axis muted"><span><span class="d90">90 days ago</span><span class="d30">30 days ago</span></span><span>Today</span></div></div>
<h2>Response time</h2>
<div class="card charts"><figure><figcaption class="muted">Last 24 hours, hourly</figcaption>${renderResponseChart(c.response, { width: 520, height: 190, span: '24 h' })}</figure>
<figure><figcaption class="muted">Last 7 days, every 6 hours</figcaption>${renderResponseChart(details.week, { width: 520, height: 190, span: '7 d' })}</figure></div>
<h2>Latest checks</h2>
<div class="card">${checks}</div>
<h2>Incidents</h2>
${details.incidents.length ? details.incidents.map((i) => incidentCard(i, s)).join('') : '<p class="muted">No incidents reported for this component.</p>'}
${subscribeForm({ emailEnabled: options.emailEnabled ?? false, components: [], only: { id: c.id, name: c.name } })}
<footer class="muted"><a href="/">${escapeHtml(s.page.name)}</a><a href="/badge/${encodeURIComponent(c.id)}/status.svg">Status badge</a><a href="/badge/${encodeURIComponent(c.id)}/uptime.svg">Uptime badge</a></footer>`;
  return layout(`${c.name} — ${s.page.name}`, body, { refreshSeconds: options.refreshSeconds ?? 60 });
}
