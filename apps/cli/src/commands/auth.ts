/** login (device flow), logout (revoke + forget), whoami (the account API's /me). */
import type { Command } from '../command';
import { deleteCredentials, loadCredentials, saveCredentials } from '../credentials';
import { CliError, EXIT, usageError } from '../exit-codes';
import { jsonOf, request } from '../http';
import { discover, pollDeviceToken, revoke, startDeviceAuthorization } from '../login-client';

/** The claims of a JWT we only display (the token came straight from Login over its TLS). */
function claimsOf(jwt: string | undefined): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from((jwt ?? '').split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export const login: Command = {
  name: 'login',
  summary: 'sign in with your Orcest account (prints a code to enter in a browser)',
  usage: 'login [--login URL] [--gateway URL]',
  options: [],
  async run(ctx, args) {
    if (args.positionals.length > 0) throw usageError('login takes no arguments');
    const { settings, out } = ctx;
    const meta = await discover(settings.login);
    const device = await startDeviceAuthorization(meta, settings.audience);
    if (out.json) {
      // stdout stays one document (the result); the code goes to stderr as a JSON line.
      process.stderr.write(`${JSON.stringify({ verification_uri: device.verification_uri, verification_uri_complete: device.verification_uri_complete, user_code: device.user_code, expires_in: device.expires_in })}\n`);
    } else {
      const c = out.color;
      process.stderr.write(`To sign in, open ${c.bold(device.verification_uri)}\nand enter the code ${c.bold(c.yellow(device.user_code))}\n`);
      if (device.verification_uri_complete) process.stderr.write(c.dim(`(or open ${device.verification_uri_complete})\n`));
      process.stderr.write(c.dim('Waiting for approval…\n'));
    }
    const tokens = await pollDeviceToken(meta, device, settings.audience);
    if (!tokens.refresh_token) throw new CliError('Login issued no refresh token', EXIT.error, 'no_refresh_token');
    const email = (claimsOf((tokens as { id_token?: string }).id_token)['email'] ?? claimsOf(tokens.access_token)['email']) as string | undefined;
    saveCredentials({ login: settings.login, audience: settings.audience, refreshToken: tokens.refresh_token, email, savedAt: new Date().toISOString() }, ctx.env);
    out.result({ signed_in: true, email: email ?? null, login: settings.login, gateway: settings.gateway }, () => `${out.color.green('Signed in')}${email ? ` as ${email}` : ''}.`);
  },
};

export const logout: Command = {
  name: 'logout',
  summary: 'revoke the stored sign-in at Login and delete it',
  usage: 'logout',
  options: [],
  async run(ctx) {
    const creds = loadCredentials(ctx.env);
    if (!creds) {
      ctx.out.result({ signed_out: true, revoked: false }, () => 'Not signed in.');
      return;
    }
    let revoked = false;
    try {
      revoked = await revoke(await ctx.loginMetadata(creds.login), creds.refreshToken);
    } catch (error) {
      // Forget it locally anyway: a user signing out must not be stuck on an unreachable Login.
      ctx.out.info(`warning: could not revoke at ${creds.login}: ${(error as Error).message}`);
    }
    deleteCredentials(ctx.env);
    ctx.out.result({ signed_out: true, revoked }, () => (revoked ? 'Signed out.' : 'Signed out on this machine (Login was not told).'));
  },
};

export interface Me {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: string;
  readonly services: readonly string[];
  readonly two_factor: boolean;
}

export const whoami: Command = {
  name: 'whoami',
  summary: 'who you are signed in as (email, role, services)',
  usage: 'whoami',
  options: [],
  async run(ctx) {
    const creds = ctx.credentials();
    const { token } = await ctx.accountToken();
    const me = await jsonOf<Me>(await request(`${creds.login}/api/account/me`, { headers: { authorization: `Bearer ${token}` } }), 'whoami');
    ctx.out.result({ ...me, login: creds.login }, () => `${ctx.out.color.bold(me.email)} (${me.name})\nrole: ${me.role}\nservices: ${me.services.join(', ')}\ntwo-factor: ${me.two_factor ? 'on' : 'off'}\nlogin: ${creds.login}`);
  },
};
