/**
 * The CLI's side of OAuth with Login: discovery, the device authorization grant (RFC 8628)
 * and refresh tokens, as the public client `rainymodel-cli` (no secret). Login rotates
 * refresh tokens, so every refresh returns a new one that must replace the stored one.
 */
import { CliError, EXIT } from './exit-codes';
import { jsonOf, request } from './http';

export const CLI_CLIENT_ID = 'rainymodel-cli';
const SCOPE = 'openid email profile offline_access';

export interface LoginMetadata {
  readonly issuer: string;
  readonly token_endpoint: string;
  readonly device_authorization_endpoint?: string;
  readonly revocation_endpoint?: string;
}

export interface DeviceAuthorization {
  readonly device_code: string;
  readonly user_code: string;
  readonly verification_uri: string;
  readonly verification_uri_complete?: string;
  readonly expires_in: number;
  readonly interval?: number;
}

export interface TokenSet {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly expires_in?: number;
}

export async function discover(loginUrl: string): Promise<LoginMetadata> {
  return jsonOf<LoginMetadata>(await request(`${loginUrl}/.well-known/openid-configuration`), `discovery at ${loginUrl}`);
}

/** Login's account API is the resource `<issuer>/api/account`. */
export function accountApiResource(issuer: string): string {
  return `${issuer}/api/account`;
}

function form(fields: Record<string, string | readonly string[]>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of typeof v === 'string' ? [v] : v) params.append(k, value);
  return params;
}

async function tokenRequest(meta: LoginMetadata, fields: Record<string, string>): Promise<{ ok: true; tokens: TokenSet } | { ok: false; error: string; description?: string; status: number }> {
  const res = await request(meta.token_endpoint, { method: 'POST', body: form({ client_id: CLI_CLIENT_ID, ...fields }) });
  const body = (await res.json().catch(() => ({}))) as TokenSet & { error?: string; error_description?: string };
  if (res.ok && typeof body.access_token === 'string') return { ok: true, tokens: body };
  return { ok: false, error: body.error ?? 'server_error', description: body.error_description, status: res.status };
}

/** Asks for a device code granting both resources: the gateway and Login's account API. */
export async function startDeviceAuthorization(meta: LoginMetadata, audience: string): Promise<DeviceAuthorization> {
  if (!meta.device_authorization_endpoint) throw new CliError(`${meta.issuer} does not offer the device flow`, EXIT.error, 'unsupported');
  const res = await request(meta.device_authorization_endpoint, { method: 'POST', body: form({ client_id: CLI_CLIENT_ID, scope: SCOPE, resource: [audience, accountApiResource(meta.issuer)] }) });
  return jsonOf<DeviceAuthorization>(res, 'device authorization');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the user approves, refuses, or the code expires (RFC 8628 §3.4-3.5). */
export async function pollDeviceToken(meta: LoginMetadata, device: DeviceAuthorization, audience: string): Promise<TokenSet> {
  let intervalMs = Math.max(1, device.interval ?? 5) * 1000;
  const deadline = Date.now() + device.expires_in * 1000;
  while (Date.now() < deadline) {
    await sleep(intervalMs);
    const answer = await tokenRequest(meta, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code, resource: audience });
    if (answer.ok) return answer.tokens;
    if (answer.error === 'authorization_pending') continue;
    if (answer.error === 'slow_down') {
      intervalMs += 5000;
      continue;
    }
    if (answer.error === 'access_denied') throw new CliError(`sign-in refused: ${answer.description ?? 'access denied'}`, EXIT.denied, 'access_denied');
    if (answer.error === 'expired_token') break;
    throw new CliError(`sign-in failed: ${answer.description ?? answer.error}`, EXIT.error, answer.error);
  }
  throw new CliError('the code expired before it was approved; run `rainymodel login` again', EXIT.error, 'expired_token');
}

/** A fresh access token for one resource; a dead refresh token means "not signed in". */
export async function refresh(meta: LoginMetadata, refreshToken: string, resource: string): Promise<TokenSet> {
  const answer = await tokenRequest(meta, { grant_type: 'refresh_token', refresh_token: refreshToken, resource });
  if (answer.ok) return answer.tokens;
  if (answer.error === 'invalid_grant') throw new CliError('your sign-in has expired or was revoked; run `rainymodel login`', EXIT.notSignedIn, 'not_signed_in');
  throw new CliError(`token refresh failed: ${answer.description ?? answer.error} (HTTP ${answer.status})`, answer.status === 403 ? EXIT.denied : EXIT.error, answer.error);
}

/** Revokes the refresh token (and so its grant's tokens); best effort. */
export async function revoke(meta: LoginMetadata, refreshToken: string): Promise<boolean> {
  if (!meta.revocation_endpoint) return false;
  const res = await request(meta.revocation_endpoint, { method: 'POST', body: form({ client_id: CLI_CLIENT_ID, token: refreshToken, token_type_hint: 'refresh_token' }) });
  return res.ok;
}
