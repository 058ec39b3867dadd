/** `/account/keys`: the user's own API keys — create (shown once), list, revoke. */
import type { ApiKeyView } from '../../users/api-keys';
import { html } from '../../http/html';
import { accountPage, hiddenCsrf, usd, when, type AccountFrame } from './account-frame';
import { spendOfBudget } from '../usage-figures';

function state(k: ApiKeyView, now: Date): string {
  if (k.revokedAt) return `revoked ${when(k.revokedAt)}`;
  if (k.expiresAt && k.expiresAt.getTime() <= now.getTime()) return `expired ${when(k.expiresAt)}`;
  return 'active';
}

/** `monthSpend`: each key's spend this calendar month (UTC), by key id. */
export function keysPage(f: AccountFrame, keys: readonly ApiKeyView[], now: Date, monthSpend: ReadonlyMap<string, number> = new Map()): string {
  const rows = keys.map((k) => {
    const st = state(k, now);
    return html`<tr data-key="${k.prefix}"><td>${k.name}</td><td><code>${k.prefix}…</code></td>
<td>${k.rpmLimit ?? '∞'} rpm<br>${k.tpmLimit ?? '∞'} tpm</td>
<td>${k.monthlyBudgetUsd === null ? 'none' : `${usd(k.monthlyBudgetUsd)}/month`}</td><td data-key-spend>${k.monthlyBudgetUsd === null ? usd(monthSpend.get(k.id) ?? 0) : spendOfBudget(monthSpend.get(k.id) ?? 0, k.monthlyBudgetUsd)}</td>
<td>${when(k.expiresAt)}</td><td>${when(k.lastUsedAt)}</td><td>${st}</td>
<td>${st === 'active' ? html`<form class="inline" method="post" action="/account/keys/${k.id}/revoke">${hiddenCsrf(f.csrf)}<button type="submit" class="secondary">Revoke</button></form>` : ''}</td></tr>`;
  });
  return accountPage(
    'API keys',
    '/account/keys',
    f,
    html`<p class="muted">A key calls the RainyModel gateway as you (<code>Authorization: Bearer rm-…</code>) while your account is active and your role includes RainyModel. Times are UTC.</p>
<div class="table-wrap"><table><thead><tr><th>Name</th><th>Key</th><th>Limits</th><th>Budget</th><th>This month</th><th>Expires</th><th>Last used</th><th>State</th><th></th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="9" class="muted">No keys yet.</td></tr>`}</tbody></table></div>
<h2>Create a key</h2>
<form method="post" action="/account/keys" class="card">${hiddenCsrf(f.csrf)}
<label for="key-name">Name</label><input id="key-name" name="name" required maxlength="100" placeholder="laptop">
<label for="key-expires">Expires (UTC date, optional)</label><input id="key-expires" name="expires_at" type="date">
<label for="key-rpm">Requests per minute</label><input id="key-rpm" name="rpm" inputmode="numeric" placeholder="unlimited">
<label for="key-tpm">Tokens per minute</label><input id="key-tpm" name="tpm" inputmode="numeric" placeholder="unlimited">
<label for="key-budget">Monthly budget in USD</label><input id="key-budget" name="monthly_budget_usd" inputmode="decimal" placeholder="none">
<button type="submit">Create key</button></form>`,
  );
}
