/** The two-factor part of the security page: its state and the form that changes it. */
import { html, type SafeHtml } from '../../http/html';
import { hiddenCsrf, when, type AccountFrame } from './account-frame';

export function twoFactorSection(f: AccountFrame, required: boolean, recoveryCodesLeft: number): SafeHtml {
  if (f.user.totpEnabledAt) {
    return html`<div class="card"><p>On since ${when(f.user.totpEnabledAt)} UTC. ${recoveryCodesLeft} recovery code${recoveryCodesLeft === 1 ? '' : 's'} left.</p>
${required ? html`<p class="muted">Your role requires two-factor sign-in: to turn it off, ask an administrator to reset it.</p>` : html`<form method="post" action="/account/totp/disable">${hiddenCsrf(f.csrf)}
<label for="disable-code">Code from your authenticator app (or a recovery code)</label><input id="disable-code" name="code" autocomplete="one-time-code" inputmode="numeric" required maxlength="20">
<button type="submit" class="secondary">Turn off two-factor sign-in</button></form>`}</div>`;
  }
  return html`<div class="card"><p>Off.${required ? html` <strong>Your role requires it:</strong> you will be asked to set it up at your next sign-in.` : ''} With it on, signing in asks for a code from an authenticator app after your password.</p>
<form method="post" action="/account/totp/enrol">${hiddenCsrf(f.csrf)}<button type="submit">Set up two-factor sign-in</button></form></div>`;
}
