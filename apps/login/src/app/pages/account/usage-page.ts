/** `/account/usage`: the last 30 days — a chart per day, the table per day and per model, CSV downloads. */
import { html } from '../../http/html';
import type { UsageRow, UsageTotals } from '../../usage/usage-report';
import { barChart } from '../svg-bar-chart';
import { accountPage, count, usd, type AccountFrame } from './account-frame';

export interface UsageView {
  readonly days: number;
  readonly totals: UsageTotals;
  readonly perDay: readonly UsageRow[];
  readonly perModel: readonly UsageRow[];
}

const tokens = (r: UsageRow | UsageTotals): string => count(r.promptTokens + r.completionTokens);
const cost = (r: UsageRow | UsageTotals): string => usd(r.costUsd) + (r.unpriced ? ` (+${r.unpriced} unpriced)` : '');

export function usagePage(f: AccountFrame, v: UsageView): string {
  const priced = v.totals.costUsd > 0;
  const chart = barChart({
    title: priced ? `Cost per day, last ${v.days} days (UTC)` : `Requests per day, last ${v.days} days (UTC)`,
    labels: v.perDay.map((r) => (r.group ?? '').slice(5)),
    values: v.perDay.map((r) => (priced ? r.costUsd : r.requests)),
    format: priced ? usd : count,
  });
  const dayRows = [...v.perDay].reverse().map((r) => html`<tr><td class="nowrap">${r.group}</td><td>${count(r.requests)}</td><td>${tokens(r)}</td><td>${cost(r)}</td></tr>`);
  const modelRows = v.perModel.map((r) => html`<tr><td>${r.group}</td><td>${r.label ?? ''}</td><td>${count(r.requests)}</td><td>${tokens(r)}</td><td>${cost(r)}</td></tr>`);
  return accountPage(
    'Usage',
    '/account/usage',
    f,
    html`<p><strong>${count(v.totals.requests)}</strong> requests · <strong>${tokens(v.totals)}</strong> tokens · <strong>${cost(v.totals)}</strong> in the last ${v.days} days (UTC).</p>
<figure class="card">${chart}</figure>
<p>Download CSV: <a href="/account/usage.csv?group_by=day">per day</a> · <a href="/account/usage.csv?group_by=model">per model</a> · <a href="/account/usage.csv?group_by=key">per key</a></p>
<h2>Per model</h2>
<div class="table-wrap"><table><thead><tr><th>Model</th><th>Deployment</th><th>Requests</th><th>Tokens</th><th>Cost</th></tr></thead>
<tbody>${modelRows.length ? modelRows : html`<tr><td colspan="5" class="muted">No requests in this period.</td></tr>`}</tbody></table></div>
<h2>Per day</h2>
<div class="table-wrap"><table><thead><tr><th>Day</th><th>Requests</th><th>Tokens</th><th>Cost</th></tr></thead><tbody>${dayRows}</tbody></table></div>`,
  );
}
