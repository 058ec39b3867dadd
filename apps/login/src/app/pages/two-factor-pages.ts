/**
 * Two-factor pieces shared by the sign-in flow and the account pages: the enrolment panel (QR
 * code drawn on the server, the base32 secret beside it for typing in), the code prompt, and
 * the recovery codes shown once.
 */
import { html, trusted, type SafeHtml } from '../http/html';
import { QrCode } from '../totp/qr-code';
import type { Enrolment } from '../totp/two-factor';
import { layout } from './layout';

const csrfField = (csrf: string): SafeHtml => html`<input type="hidden" name="_csrf" value="${csrf}">`;

/** The secret in groups of four, as people type it. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export function enrolmentPanel(enrolment: Enrolment, action: string, csrf: string, error?: string): SafeHtml {
  // Our own encoder's output: numbers and an escaped label only.
  const qr = trusted(QrCode.encode(enrolment.uri).toSvg('QR code to scan with an authenticator app'));
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<ol><li>Scan the code with an authenticator app (or type the key into it).</li><li>Enter the six-digit code it shows.</li></ol>
<div class="qr">${qr}<div><p class="muted">Key (base32, time-based, 6 digits, 30 s):</p><p><code class="secret" data-testid="totp-secret">${groupedSecret(enrolment.secret)}</code></p></div></div>
<form method="post" action="${action}">${csrfField(csrf)}
<label for="totp-code">Code from the app</label><input id="totp-code" name="code" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9 ]{6,7}" required maxlength="7" autofocus>
<button type="submit">Turn on two-factor sign-in</button></form>`;
}

export function recoveryCodesPanel(codes: readonly string[]): SafeHtml {
  return html`<p class="notice" role="status">Two-factor sign-in is on.</p>
<p>Keep these recovery codes somewhere safe. Each one signs you in once if you lose your phone. <strong>They are not shown again.</strong></p>
<ol class="codes" data-testid="recovery-codes">${codes.map((c) => html`<li>${c}</li>`)}</ol>`;
}

export interface SecondFactorView {
  readonly uid: string;
  readonly csrf: string;
  readonly clientName: string;
  readonly error?: string;
}

export function secondFactorPage(v: SecondFactorView): string {
  return layout(
    'Two-factor sign-in',
    html`<div class="card"><h1>Enter your code</h1>
<p class="muted">to continue to <strong>${v.clientName}</strong>: the six-digit code from your authenticator app, or one of your recovery codes.</p>
${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}
<form method="post" action="/interaction/${v.uid}/second-factor">${csrfField(v.csrf)}
<label for="code">Code</label><input id="code" name="code" autocomplete="one-time-code" required maxlength="20" autofocus>
<button type="submit">Continue</button></form>
<form method="post" action="/interaction/${v.uid}/abort">${csrfField(v.csrf)}<button type="submit" class="secondary">Cancel</button></form></div>`,
  );
}

export function enrolAtSignInPage(uid: string, csrf: string, enrolment: Enrolment, error?: string): string {
  return layout(
    'Set up two-factor sign-in',
    html`<div class="card"><h1>Set up two-factor sign-in</h1>
<p>Your role requires a second step when you sign in.</p>
${enrolmentPanel(enrolment, `/interaction/${uid}/enrol`, csrf, error)}</div>`,
    { wide: false },
  );
}

export function codesAtSignInPage(uid: string, csrf: string, codes: readonly string[]): string {
  return layout(
    'Recovery codes',
    html`<div class="card"><h1>Recovery codes</h1>${recoveryCodesPanel(codes)}
<form method="post" action="/interaction/${uid}/continue">${csrfField(csrf)}<button type="submit">I have saved them: continue</button></form></div>`,
  );
}
