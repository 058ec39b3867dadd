/** `/account`: who you are, what your role reaches, and where to go next. */
import { isRole, servicesOfRole } from '@orcest/auth';
import { html } from '../../http/html';
import { accountPage, usd, when, type AccountFrame } from './account-frame';
import { spendOfBudget } from '../usage-figures';
import type { UsageTotals } from '../../usage/usage-report';

export function overviewPage(f: AccountFrame, month: UsageTotals, activeKeys: number): string {
  const u = f.user;
  return accountPage(
    'Your account',
    '/account',
    f,
    html`<div class="card"><dl class="facts">
<dt>Name</dt><dd>${u.name}</dd>
<dt>Email</dt><dd>${u.email}</dd>
<dt>Role</dt><dd>${u.role} <span class="muted">(${isRole(u.role) ? servicesOfRole(u.role).join(', ') : ''})</span></dd>
<dt>Two-factor sign-in</dt><dd>${u.totpEnabledAt ? `on since ${when(u.totpEnabledAt)} UTC` : 'off'}</dd>
<dt>Last sign-in</dt><dd>${when(u.lastLoginAt)} UTC</dd>
</dl></div>
<h2>This month</h2>
<p>${month.requests} requests · ${usd(month.costUsd)}${month.unpriced ? html` <span class="muted">(${month.unpriced} without a price)</span>` : ''} · ${activeKeys} active API key${activeKeys === 1 ? '' : 's'}</p>
<p data-month-spend>Monthly budget (all your keys, calendar month UTC): ${u.monthlyBudgetUsd === null ? 'none' : spendOfBudget(month.costUsd, u.monthlyBudgetUsd)}</p>
<p><a href="/account/keys">Manage API keys</a> · <a href="/account/usage">See usage</a> · <a href="/account/security">Password, two-factor, sessions</a></p>`,
  );
}
