/** `/account/security`: password change, two-factor sign-in, and the browsers signed in. */
import { html, type SafeHtml } from '../../http/html';
import type { ActiveSession } from '../../users/user-sessions';
import { accountPage, hiddenCsrf, when, type AccountFrame } from './account-frame';

export interface SecurityView {
  readonly sessions: readonly ActiveSession[];
  readonly currentSessionUid: string;
  /** The two-factor section (enrolment state and its forms). */
  readonly twoFactor: SafeHtml;
}

/** "Firefox on Linux" from a user agent, or the agent itself when nothing is recognised. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrome\//.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : /^rainymodel\//.test(userAgent) ? 'rainymodel CLI' : undefined;
  const os = /Android/.test(userAgent) ? 'Android' : /iPhone|iPad/.test(userAgent) ? 'iOS' : /Windows/.test(userAgent) ? 'Windows' : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS' : /Linux/.test(userAgent) ? 'Linux' : undefined;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? userAgent.slice(0, 80);
}

export function securityPage(f: AccountFrame, v: SecurityView): string {
  const rows = v.sessions.map(
    (s) => html`<tr data-session="${s.uid}"><td>${deviceName(s.userAgent)}${s.uid === v.currentSessionUid ? html` <strong>(this browser)</strong>` : ''}</td>
<td>${s.ip ?? '—'}</td><td>${when(s.signedInAt)}</td><td>${when(s.lastSeenAt)}</td>
<td>${s.uid === v.currentSessionUid ? '' : html`<form class="inline" method="post" action="/account/sessions/${s.uid}/revoke">${hiddenCsrf(f.csrf)}<button type="submit" class="secondary">Sign out</button></form>`}</td></tr>`,
  );
  return accountPage(
    'Security',
    '/account/security',
    f,
    html`<h2>Change password</h2>
<form method="post" action="/account/password" class="card">${hiddenCsrf(f.csrf)}
<input type="text" name="username" autocomplete="username" value="${f.user.email}" hidden>
<label for="current-password">Current password</label><input id="current-password" name="current_password" type="password" autocomplete="current-password" required>
<label for="new-password">New password (at least 12 characters)</label><input id="new-password" name="new_password" type="password" autocomplete="new-password" required minlength="12">
<p class="muted">Every other browser and app signed in as you is signed out.</p>
<button type="submit">Change password</button></form>
<h2>Two-factor sign-in</h2>
${v.twoFactor}
<h2>Signed-in browsers</h2>
<div class="table-wrap"><table><thead><tr><th>Device</th><th>Address</th><th>Signed in (UTC)</th><th>Last seen (UTC)</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>
<form method="post" action="/account/sessions/revoke-all">${hiddenCsrf(f.csrf)}<button type="submit" class="secondary">Sign out everywhere (this browser too)</button></form>`,
  );
}
