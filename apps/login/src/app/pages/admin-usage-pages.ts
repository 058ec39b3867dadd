/**
 * The admin panel's usage views: everyone's usage over a period (per day as a chart and a
 * table, per user, per model), the top spenders of the month against their budgets, and one
 * user's usage, budget and keys. Read from the daily roll-ups (`usage/usage-report.ts`).
 */
import type { User } from '@orcest/db';
import type { ApiKeyView } from '../users/api-keys';
import { html, type SafeHtml } from '../http/html';
import type { UsageRow, UsageTotals } from '../usage/usage-report';
import { adminFrame, type AdminFrame } from './admin-pages';
import { barChart } from './svg-bar-chart';
import { count, spendOfBudget, usd } from './usage-figures';

/** The periods the admin views offer, in days. */
export const ADMIN_USAGE_PERIODS = [7, 30, 90, 365] as const;

export interface Spender extends UsageRow {
  readonly budgetUsd: number | null;
}

export interface AdminUsageView {
  readonly days: number;
  readonly month: string;
  readonly totals: UsageTotals;
  readonly perDay: readonly UsageRow[];
  readonly perUser: readonly UsageRow[];
  readonly perModel: readonly UsageRow[];
  readonly topSpenders: readonly Spender[];
}

export interface AdminUserUsageView {
  readonly days: number;
  readonly month: string;
  readonly user: User;
  readonly monthTotals: UsageTotals;
  readonly totals: UsageTotals;
  readonly perDay: readonly UsageRow[];
  readonly perModel: readonly UsageRow[];
  readonly keys: readonly ApiKeyView[];
  /** Month-to-date spend per key id. */
  readonly keySpend: ReadonlyMap<string, number>;
}

const tokens = (r: UsageTotals): string => count(r.promptTokens + r.completionTokens);
const cost = (r: UsageTotals): string => usd(r.costUsd) + (r.unpriced ? ` (+${r.unpriced} unpriced)` : '');
const figures = (r: UsageTotals): SafeHtml => html`<td>${count(r.requests)}</td><td>${tokens(r)}</td><td>${cost(r)}</td><td>${count(r.errors)}</td><td>${count(r.cacheHits)}</td>`;
const FIGURE_HEADS = html`<th>Requests</th><th>Tokens</th><th>Cost</th><th>Errors</th><th>Cache hits</th>`;
const when = (d: Date | null): string => (d ? d.toISOString().replace('T', ' ').slice(0, 16) : '—');

function table(heads: SafeHtml, rows: readonly SafeHtml[], columns: number, empty = 'No requests in this period.'): SafeHtml {
  return html`<div class="table-wrap"><table><thead><tr>${heads}</tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="${columns}" class="muted">${empty}</td></tr>`}</tbody></table></div>`;
}

function dayChart(perDay: readonly UsageRow[], totals: UsageTotals, days: number): SafeHtml {
  const priced = totals.costUsd > 0;
  return barChart({
    title: priced ? `Cost per day, last ${days} days (UTC)` : `Requests per day, last ${days} days (UTC)`,
    labels: perDay.map((r) => (r.group ?? '').slice(5)),
    values: perDay.map((r) => (priced ? r.costUsd : r.requests)),
    format: priced ? usd : count,
  });
}

function periodLinks(base: string, days: number): SafeHtml {
  return html`<p>Period: ${ADMIN_USAGE_PERIODS.map((d) => (d === days ? html`<strong>${d} days</strong> ` : html`<a href="${base}?days=${d}">${d} days</a> `))}</p>`;
}

const userLink = (r: UsageRow): SafeHtml =>
  r.group ? html`<a href="/admin/users/${r.group}/usage">${r.label ?? r.group}</a>` : html`<span class="muted">no user (master key or open)</span>`;

export function adminUsagePage(f: AdminFrame, v: AdminUsageView): string {
  const spenders = v.topSpenders.map(
    (r) => html`<tr><td>${userLink(r)}</td><td>${spendOfBudget(r.costUsd, r.budgetUsd)}</td><td>${count(r.requests)}</td></tr>`,
  );
  const users = v.perUser.map((r) => html`<tr><td>${userLink(r)}</td>${figures(r)}</tr>`);
  const models = v.perModel.map((r) => html`<tr><td>${r.group}</td><td>${r.label ?? ''}</td>${figures(r)}</tr>`);
  const days = [...v.perDay].reverse().map((r) => html`<tr><td class="nowrap">${r.group}</td>${figures(r)}</tr>`);
  const csv = (by: string): string => `/admin/usage.csv?group_by=${by}&days=${v.days}`;
  return adminFrame(
    'Usage',
    f,
    html`${periodLinks('/admin/usage', v.days)}
<p><strong>${count(v.totals.requests)}</strong> requests · <strong>${tokens(v.totals)}</strong> tokens · <strong>${cost(v.totals)}</strong> · ${count(v.totals.errors)} errors · ${count(v.totals.cacheHits)} cache hits in the last ${v.days} days (UTC).</p>
<figure class="card">${dayChart(v.perDay, v.totals, v.days)}</figure>
<p>Download CSV: <a href="${csv('day')}">per day</a> · <a href="${csv('user')}">per user</a> · <a href="${csv('model')}">per model</a> · <a href="${csv('key')}">per key</a></p>
<h2>Top spenders in ${v.month}</h2>
${table(html`<th>User</th><th>Spent this month</th><th>Requests</th>`, spenders, 3)}
<h2>Per user</h2>
${table(html`<th>User</th>${FIGURE_HEADS}`, users, 6)}
<h2>Per model</h2>
${table(html`<th>Model</th><th>Deployment</th>${FIGURE_HEADS}`, models, 7)}
<h2>Per day</h2>
${table(html`<th>Day</th>${FIGURE_HEADS}`, days, 6)}`,
  );
}

export function adminUserUsagePage(f: AdminFrame, v: AdminUserUsageView): string {
  const u = v.user;
  const keys = v.keys.map(
    (k) => html`<tr data-key="${k.prefix}"><td>${k.name}</td><td><code>${k.prefix}…</code></td>
<td>${spendOfBudget(v.keySpend.get(k.id) ?? 0, k.monthlyBudgetUsd)}</td><td>${when(k.lastUsedAt)}</td><td>${k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active'}</td></tr>`,
  );
  const models = v.perModel.map((r) => html`<tr><td>${r.group}</td><td>${r.label ?? ''}</td>${figures(r)}</tr>`);
  const days = [...v.perDay].reverse().map((r) => html`<tr><td class="nowrap">${r.group}</td>${figures(r)}</tr>`);
  const base = `/admin/users/${u.id}/usage`;
  return adminFrame(
    `Usage of ${u.email}`,
    f,
    html`<div class="card"><dl class="facts">
<dt>Role</dt><dd>${u.role}${u.active ? '' : ' (deactivated)'}</dd>
<dt>Spent in ${v.month}</dt><dd data-month-spend>${spendOfBudget(v.monthTotals.costUsd, u.monthlyBudgetUsd)}${v.monthTotals.unpriced ? html` <span class="muted">(+${v.monthTotals.unpriced} unpriced)</span>` : ''}</dd>
<dt>Requests in ${v.month}</dt><dd>${count(v.monthTotals.requests)}</dd>
</dl><p><a href="/admin/users/${u.id}/keys">Manage keys and budget</a></p></div>
${periodLinks(base, v.days)}
<p><strong>${count(v.totals.requests)}</strong> requests · <strong>${tokens(v.totals)}</strong> tokens · <strong>${cost(v.totals)}</strong> in the last ${v.days} days (UTC).</p>
<figure class="card">${dayChart(v.perDay, v.totals, v.days)}</figure>
<p>Download CSV: <a href="${base}.csv?group_by=day&days=${v.days}">per day</a> · <a href="${base}.csv?group_by=model&days=${v.days}">per model</a> · <a href="${base}.csv?group_by=key&days=${v.days}">per key</a></p>
<h2>API keys</h2>
${table(html`<th>Name</th><th>Key</th><th>Spent this month</th><th>Last used (UTC)</th><th>State</th>`, keys, 5, 'No keys.')}
<h2>Per model</h2>
${table(html`<th>Model</th><th>Deployment</th>${FIGURE_HEADS}`, models, 7)}
<h2>Per day</h2>
${table(html`<th>Day</th>${FIGURE_HEADS}`, days, 6)}
<p><a href="/admin/usage">Everyone's usage</a> · <a href="/admin/users">Back to users</a></p>`,
  );
}
