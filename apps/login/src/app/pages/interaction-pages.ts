/** Sign-in, consent, refusal and error pages of the OIDC flow. */
import { html, trusted, type SafeHtml } from '../http/html';
import { layout } from './layout';

export interface SignInView {
  readonly uid: string;
  readonly csrf: string;
  readonly clientName: string;
  readonly email?: string;
  readonly error?: string;
}

export function signInPage(view: SignInView): string {
  return layout(
    'Sign in',
    html`<div class="card">
<h1>Sign in</h1>
<p class="muted">to continue to <strong>${view.clientName}</strong></p>
${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
<form method="post" action="/interaction/${view.uid}/login">
<input type="hidden" name="_csrf" value="${view.csrf}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${view.email ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${view.uid}/abort">
<input type="hidden" name="_csrf" value="${view.csrf}">
<button type="submit" class="secondary">Cancel</button>
</form>
</div>`,
  );
}

export interface ConsentView {
  readonly uid: string;
  readonly csrf: string;
  readonly clientName: string;
  readonly scopes: readonly string[];
  readonly email: string;
}

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are',
  email: 'See your email address',
  profile: 'See your name and role',
  offline_access: 'Stay signed in when you are away',
};

export function consentPage(view: ConsentView): string {
  return layout(
    'Allow access',
    html`<div class="card">
<h1>Allow ${view.clientName}?</h1>
<p class="muted">Signed in as ${view.email}. ${view.clientName} asks to:</p>
<ul>${view.scopes.map((s) => html`<li>${SCOPE_TEXT[s] ?? s}</li>`)}</ul>
<form method="post" action="/interaction/${view.uid}/confirm">
<input type="hidden" name="_csrf" value="${view.csrf}">
<button type="submit">Allow</button>
</form>
<form method="post" action="/interaction/${view.uid}/abort">
<input type="hidden" name="_csrf" value="${view.csrf}">
<button type="submit" class="secondary">Deny</button>
</form>
</div>`,
  );
}

export interface MessageView {
  readonly title: string;
  readonly message: string;
  readonly detail?: string;
  /** A form (e.g. "back to the app") or link to offer. */
  readonly action?: SafeHtml;
}

export function messagePage(view: MessageView): string {
  return layout(
    view.title,
    html`<div class="card">
<h1>${view.title}</h1>
<p>${view.message}</p>
${view.detail ? html`<p class="muted"><code>${view.detail}</code></p>` : ''}
${view.action ?? ''}
</div>`,
  );
}

export function refusedPage(uid: string, csrf: string, clientName: string, role: string, service: string): string {
  return messagePage({
    title: 'No access to this app',
    message: `Your role (${role}) does not include ${clientName} (service "${service}"). Ask an administrator for a role that does.`,
    action: html`<form method="post" action="/interaction/${uid}/abort"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="secondary">Back to ${clientName}</button></form>`,
  });
}

export function logoutPage(formMarkup: string, clientName: string | undefined): string {
  // oidc-provider gives the form (with its own xsrf field); our buttons submit it.
  return layout(
    'Sign out',
    html`<div class="card">
<h1>Sign out?</h1>
<p>${clientName ? `${clientName} asks you to sign out of Orcest.` : 'Sign out of Orcest on this browser?'}</p>
${trusted(formMarkup)}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>
</div>`,
  );
}

export function signedOutPage(): string {
  return messagePage({ title: 'Signed out', message: 'You are signed out of Orcest on this browser.' });
}
