/** The admin panel's pages: users, clients, signing keys, audit log. Plain forms, paged lists. */
import type { ApiKey, AuditLog as AuditEntry, OidcClient, SigningKey, User } from '@orcest/db';
import { ROLES } from '@orcest/auth';
import type { Page } from '../audit/audit-log';
import { html, type SafeHtml } from '../http/html';
import { layout, panelMessages } from './layout';

export interface AdminFrame {
  readonly csrf: string;
  readonly admin: User;
  readonly signOutUrl: string;
  readonly notice?: string;
  readonly error?: string;
  /** A secret or password shown exactly once. */
  readonly secret?: { readonly label: string; readonly value: string };
}

export function adminFrame(title: string, f: AdminFrame, body: SafeHtml): string {
  return layout(
    title,
    html`<nav aria-label="Admin"><strong>Orcest Login admin</strong>
<a href="/admin/users">Users</a><a href="/admin/usage">Usage</a><a href="/admin/clients">Clients</a><a href="/admin/keys">Signing keys</a><a href="/admin/two-factor">Two-factor</a><a href="/admin/audit">Audit log</a>
<span class="muted">${f.admin.email}</span><a href="${f.signOutUrl}">Sign out</a></nav>
<h1>${title}</h1>
${panelMessages(f)}
${body}`,
    { wide: true },
  );
}

function pager(base: string, page: Page<unknown>, extra: Record<string, string> = {}): SafeHtml {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const link = (p: number): string => `${base}?${new URLSearchParams({ ...extra, page: String(p) }).toString()}`;
  return html`<div class="pager"><span class="muted">Page ${page.page} of ${pages} · ${page.total} in all</span>
${page.page > 1 ? html`<a href="${link(page.page - 1)}" rel="prev">Previous</a>` : ''}
${page.page < pages ? html`<a href="${link(page.page + 1)}" rel="next">Next</a>` : ''}</div>`;
}

const hidden = (csrf: string): SafeHtml => html`<input type="hidden" name="_csrf" value="${csrf}">`;
const when = (d: Date | null): string => (d ? d.toISOString().replace('T', ' ').slice(0, 19) : '—');

export function usersPage(f: AdminFrame, users: Page<User>, query: string): string {
  const rows = users.items.map(
    (u) => html`<tr data-email="${u.email}">
<td>${u.email}<br><span class="muted">${u.name}</span></td>
<td><form class="inline" method="post" action="/admin/users/${u.id}/role">${hidden(f.csrf)}
<select name="role" aria-label="Role of ${u.email}">${ROLES.map((r) => html`<option value="${r}" ${r === u.role ? html`selected` : ''}>${r}</option>`)}</select>
<button type="submit" class="secondary">Save role</button></form></td>
<td>${u.active ? 'active' : 'deactivated'}</td>
<td>${when(u.lastLoginAt)}</td>
<td><form class="inline" method="post" action="/admin/users/${u.id}/active">${hidden(f.csrf)}<input type="hidden" name="active" value="${u.active ? 'false' : 'true'}">
<button type="submit" class="secondary">${u.active ? 'Deactivate' : 'Activate'}</button></form>
<form class="inline" method="post" action="/admin/users/${u.id}/password">${hidden(f.csrf)}<button type="submit" class="secondary">Reset password</button></form>
${u.totpEnabledAt ? html`<form class="inline" method="post" action="/admin/users/${u.id}/totp-reset">${hidden(f.csrf)}<button type="submit" class="secondary">Reset 2FA</button></form>` : ''}
<a href="/admin/users/${u.id}/keys">API keys</a> <a href="/admin/users/${u.id}/usage">Usage</a></td>
</tr>`,
  );
  return adminFrame(
    'Users',
    f,
    html`<form method="get" action="/admin/users"><label for="q">Search</label><input id="q" name="q" value="${query}"></form>
<div class="table-wrap"><table><thead><tr><th>User</th><th>Role</th><th>Status</th><th>Last sign-in (UTC)</th><th>Actions</th></tr></thead><tbody>${rows}</tbody></table></div>
${pager('/admin/users', users, query ? { q: query } : {})}
<h2>Create a user</h2>
<form method="post" action="/admin/users" class="card">${hidden(f.csrf)}
<label for="new-email">Email</label><input id="new-email" name="email" type="email" autocomplete="off" required>
<label for="new-name">Name</label><input id="new-name" name="name" required>
<label for="new-role">Role</label><select id="new-role" name="role">${ROLES.map((r) => html`<option value="${r}" ${r === 'viewer' ? html`selected` : ''}>${r}</option>`)}</select>
<label for="new-password">Initial password (at least 12 characters)</label><input id="new-password" name="password" type="password" autocomplete="new-password" required minlength="12">
<button type="submit">Create user</button></form>`,
  );
}

export function clientsPage(f: AdminFrame, clients: readonly OidcClient[], envOverride: (id: string) => string | undefined): string {
  const rows = clients.map(
    (c) => html`<tr><td><code>${c.clientId}</code><br><span class="muted">${c.name}</span></td><td>${c.service}</td>
<td>${c.redirectUris.map((u) => html`<code>${u}</code><br>`)}</td>
<td>${!c.enabled ? 'disabled' : c.publicClient ? 'enabled (public: device flow, no secret)' : c.secret ? 'enabled' : 'disabled (no secret configured)'}</td>
<td>${c.secretSource === 'internal' || c.publicClient ? html`<span class="muted">${c.publicClient ? 'no secret' : 'internal'}</span>` : html`<form class="inline" method="post" action="/admin/clients/${c.clientId}/rotate">${hidden(f.csrf)}<button type="submit" class="secondary">Rotate secret</button></form>
${envOverride(c.clientId) ? html`<br><span class="muted">${envOverride(c.clientId)} is set: it replaces the secret at the next start</span>` : ''}`}</td></tr>`,
  );
  return adminFrame(
    'Clients',
    f,
    html`<div class="table-wrap"><table><thead><tr><th>Client</th><th>Service</th><th>Redirect URIs</th><th>Status</th><th>Secret</th></tr></thead><tbody>${rows}</tbody></table></div>`,
  );
}

export function keysPage(f: AdminFrame, keys: readonly SigningKey[], signingKid: string | undefined, fromEnv: boolean): string {
  const rows = keys.map(
    (k) => html`<tr><td><code>${k.kid}</code></td><td>${k.alg}</td><td>${when(k.createdAt)}</td>
<td>${k.kid === signingKid ? 'signing' : k.active ? 'published' : `retired ${when(k.retiredAt)}`}</td>
<td>${k.active && k.kid !== signingKid ? html`<form class="inline" method="post" action="/admin/keys/${k.kid}/retire">${hidden(f.csrf)}<button type="submit" class="secondary">Stop publishing</button></form>` : ''}</td></tr>`,
  );
  return adminFrame(
    'Signing keys',
    f,
    html`${fromEnv ? html`<p class="notice">RSA_PRIVATE_KEY is set: that key signs, and the keys below are not used.</p>` : ''}
<p class="muted">A new key is published at once and starts signing once every replica has had time to publish it. Older keys stay published so tokens they signed still verify; stop publishing one only after its tokens have expired.</p>
<form method="post" action="/admin/keys/rotate">${hidden(f.csrf)}<button type="submit">Add a new signing key</button></form>
<div class="table-wrap"><table><thead><tr><th>Key id</th><th>Algorithm</th><th>Created (UTC)</th><th>State</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`,
  );
}

export function auditPage(f: AdminFrame, entries: Page<AuditEntry>, action: string): string {
  const rows = entries.items.map(
    (e) => html`<tr><td>${when(e.at)}</td><td><code>${e.action}</code></td><td>${e.actor ?? ''}</td><td>${e.subject ?? ''}</td><td>${e.ip ?? ''}</td><td><code>${JSON.stringify(e.detail)}</code></td></tr>`,
  );
  return adminFrame(
    'Audit log',
    f,
    html`<form method="get" action="/admin/audit"><label for="action">Action starts with</label><input id="action" name="action" value="${action}" placeholder="login."></form>
<div class="table-wrap"><table><thead><tr><th>When (UTC)</th><th>Action</th><th>Actor</th><th>Subject</th><th>IP</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table></div>
${pager('/admin/audit', entries, action ? { action } : {})}`,
  );
}

export function apiKeysPage(f: AdminFrame, user: User, keys: readonly ApiKey[]): string {
  const rows = keys.map(
    (k) => html`<tr data-key="${k.prefix}"><td>${k.name}</td><td><code>${k.prefix}…</code></td><td>${k.rpmLimit ?? 'unlimited'}</td><td>${k.tpmLimit ?? 'unlimited'}</td>
<td>${when(k.createdAt)}</td><td>${k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active'}</td>
<td>${k.revokedAt ? '' : html`<form class="inline" method="post" action="/admin/users/${user.id}/keys/${k.id}/revoke">${hidden(f.csrf)}<button type="submit" class="secondary">Revoke</button></form>`}</td></tr>`,
  );
  return adminFrame(
    `API keys of ${user.email}`,
    f,
    html`<p><a href="/admin/users/${user.id}/usage">Usage, month-to-date spend and each key's spend</a></p>
<p class="muted">Keys call the RainyModel gateway as this user (<code>Authorization: Bearer rm-…</code>) while the user is active and their role (${user.role}) includes RainyModel. Limits apply per key; empty means unlimited.</p>
<h2>Monthly budget</h2>
<form method="post" action="/admin/users/${user.id}/budget" class="card">${hidden(f.csrf)}
<label for="user-budget">USD per calendar month (UTC), over all this user's keys</label><input id="user-budget" name="budget" inputmode="decimal" placeholder="none" value="${user.monthlyBudgetUsd === null ? '' : user.monthlyBudgetUsd.toFixed(2)}">
<button type="submit" class="secondary">Save budget</button></form>
<div class="table-wrap"><table><thead><tr><th>Name</th><th>Key</th><th>Requests/min</th><th>Tokens/min</th><th>Created (UTC)</th><th>State</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>
<h2>Create a key</h2>
<form method="post" action="/admin/users/${user.id}/keys" class="card">${hidden(f.csrf)}
<label for="key-name">Name</label><input id="key-name" name="name" required maxlength="100">
<label for="key-rpm">Requests per minute</label><input id="key-rpm" name="rpm" inputmode="numeric" placeholder="unlimited">
<label for="key-tpm">Tokens per minute</label><input id="key-tpm" name="tpm" inputmode="numeric" placeholder="unlimited">
<button type="submit">Create key</button></form>
<p><a href="/admin/users">Back to users</a></p>`,
  );
}
