/**
 * What `npm start` shows for Login SSO once it listens: the admin panel, the first admin's
 * password when it was just generated (the one time it is ever shown), and which clients can
 * sign users in — one line for all of them rather than a warning per client without a secret.
 */
import type { ReadyBlock } from '@orcest/logging';
import type { LoginContext } from './login-context';

export async function loginReadyBlock(context: LoginContext, url: string): Promise<ReadyBlock> {
  const lines = [`admin panel ${url}/admin`];
  const admin = context.bootstrappedAdmin;
  if (admin?.generatedPassword) lines.push(`first admin ${admin.email}, generated password: ${admin.generatedPassword} (shown this once: sign in and change it)`);
  else if (admin) lines.push(`first admin ${admin.email} created (password from SSO_ADMIN_PASSWORD)`);
  // The relying parties of the config; Login's own internal clients (admin panel, account pages) are not news.
  const configured = new Set(context.config.clients.map((c) => c.clientId));
  const clients = (await context.clients.list()).filter((c) => configured.has(c.clientId));
  const ready = clients.filter((c) => c.enabled && c.secret).map((c) => c.clientId);
  const waiting = clients.filter((c) => !(c.enabled && c.secret)).map((c) => c.clientId);
  lines.push(`clients signing users in: ${ready.length ? ready.join(', ') : 'none yet'}`);
  if (waiting.length) lines.push(`next: give ${waiting.join(', ')} a secret (OIDC_<CLIENT>_SECRET, or "Rotate secret" in the admin panel) to enable them`);
  return { title: 'Login SSO', url, lines };
}
