/**
 * The device flow's pages (RFC 8628): enter the code the CLI printed, confirm it is the one on
 * the screen, then the normal sign-in pages, then "done". oidc-provider owns the forms' routes
 * and checks their `xsrf` field against the browser's session (its CSRF protection); we only
 * render them, with the field names it reads (xsrf, user_code, confirm, abort).
 */
import { html } from '../http/html';
import { layout } from './layout';

export interface DeviceCodeInputView {
  readonly action: string;
  readonly xsrf: string;
  /** The code typed last time, when it was wrong. */
  readonly userCode?: string;
  readonly error?: string;
}

export function deviceCodeInputPage(view: DeviceCodeInputView): string {
  return layout(
    'Connect a device',
    html`<div class="card">
<h1>Connect a device</h1>
<p class="muted">Enter the code shown by the <code>rainymodel</code> command (or another device asking to sign in).</p>
${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
<form method="post" action="${view.action}">
<input type="hidden" name="xsrf" value="${view.xsrf}">
<label for="user_code">Code</label>
<input id="user_code" name="user_code" type="text" required autofocus autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="XXXX-XXXX" value="${view.userCode ?? ''}" style="text-transform:uppercase;letter-spacing:.15em;font-size:1.3rem;text-align:center">
<button type="submit">Continue</button>
</form>
</div>`,
  );
}

export interface DeviceConfirmView {
  readonly action: string;
  readonly xsrf: string;
  readonly userCode: string;
  readonly clientName: string;
}

export function deviceConfirmPage(view: DeviceConfirmView): string {
  return layout(
    'Confirm the device',
    html`<div class="card">
<h1>Sign in ${view.clientName}?</h1>
<p>Check that your device shows this code:</p>
<p style="font:600 1.6rem ui-monospace,monospace;letter-spacing:.15em;text-align:center" data-testid="user-code">${view.userCode}</p>
<p class="muted">If you did not start this, or the code differs, cancel: someone else may be trying to use your account.</p>
<form method="post" action="${view.action}">
<input type="hidden" name="xsrf" value="${view.xsrf}">
<input type="hidden" name="user_code" value="${view.userCode}">
<input type="hidden" name="confirm" value="yes">
<button type="submit">Continue to sign in</button>
</form>
<form method="post" action="${view.action}">
<input type="hidden" name="xsrf" value="${view.xsrf}">
<input type="hidden" name="user_code" value="${view.userCode}">
<input type="hidden" name="abort" value="yes">
<button type="submit" class="secondary">Cancel</button>
</form>
</div>`,
  );
}

export function deviceDonePage(clientName: string): string {
  return layout(
    'Device connected',
    html`<div class="card">
<h1>Device connected</h1>
<p class="notice" role="status">${clientName} is signed in. You can close this page and go back to your device.</p>
</div>`,
  );
}

/** The message for an error oidc-provider re-renders the code page with. */
export function deviceErrorText(error: { name?: string } | undefined, code?: string): string | undefined {
  if (!error) return undefined;
  if (code === 'access_denied') return 'Sign-in was cancelled or refused: the device was not signed in.';
  switch (error.name) {
    case 'NoCodeError':
      return 'Enter the code shown on your device.';
    case 'NotFoundError':
      return 'That code is not valid. Check it and try again.';
    case 'ExpiredError':
      return 'That code has expired. Start again on your device.';
    case 'AlreadyUsedError':
      return 'That code was already used. Start again on your device.';
    case 'AbortedError':
      return 'Cancelled: the device was not signed in.';
    default:
      return 'The request could not be completed. Start again on your device.';
  }
}
