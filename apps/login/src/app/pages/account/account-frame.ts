/** The shell of the account pages: navigation, the one-time secret box, notices, errors. */
import type { User } from '@orcest/db';
import { html, type SafeHtml } from '../../http/html';
import { layout, panelMessages } from '../layout';

export interface AccountFrame {
  readonly csrf: string;
  readonly user: User;
  readonly signOutUrl: string;
  readonly notice?: string;
  readonly error?: string;
  /** A secret shown exactly once (a new API key). */
  readonly secret?: { readonly label: string; readonly value: string };
}

const SECTIONS = [
  ['/account', 'Account'],
  ['/account/keys', 'API keys'],
  ['/account/usage', 'Usage'],
  ['/account/security', 'Security'],
] as const;

export function accountPage(title: string, path: string, f: AccountFrame, body: SafeHtml): string {
  return layout(
    title,
    html`<nav aria-label="Account"><strong>Orcest account</strong>
${SECTIONS.map(([href, name]) => (href === path ? html`<a href="${href}" aria-current="page"><strong>${name}</strong></a>` : html`<a href="${href}">${name}</a>`))}
<span class="muted">${f.user.email}</span><a href="${f.signOutUrl}">Sign out</a></nav>
<h1>${title}</h1>
${panelMessages(f)}
${body}`,
    { wide: true },
  );
}

export const hiddenCsrf = (csrf: string): SafeHtml => html`<input type="hidden" name="_csrf" value="${csrf}">`;

/** `2026-12-06 14:03` (UTC) or a dash. */
export function when(d: Date | null | undefined): string {
  return d ? d.toISOString().replace('T', ' ').slice(0, 16) : '—';
}

export { count, usd } from '../usage-figures';
