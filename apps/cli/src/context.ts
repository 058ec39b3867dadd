/**
 * What every command works with: the URLs (flag, else env, else the production default), the
 * output, and access tokens made on demand from the stored refresh token. RAINYMODEL_API_KEY,
 * when set, is used for the gateway instead of the sign-in (for scripts and CI).
 */
import { credentialsFile, loadCredentials, saveCredentials, type Credentials } from './credentials';
import { CliError, EXIT } from './exit-codes';
import { accountApiResource, discover, refresh, type LoginMetadata } from './login-client';
import type { Output } from './output';

export const DEFAULT_GATEWAY = 'https://rm.orcest.ai';
export const DEFAULT_LOGIN = 'https://login.orcest.ai';

export interface Settings {
  readonly gateway: string;
  readonly login: string;
  /** The resource of the gateway's tokens at Login; the gateway URL unless RAINYMODEL_AUDIENCE says otherwise. */
  readonly audience: string;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function settingsOf(flags: { gateway?: string; login?: string }, env: NodeJS.ProcessEnv): Settings {
  const gateway = trimSlash(flags.gateway ?? env['RAINYMODEL_URL'] ?? DEFAULT_GATEWAY);
  const login = trimSlash(flags.login ?? env['RAINYMODEL_LOGIN_URL'] ?? DEFAULT_LOGIN);
  for (const [name, url] of [['--gateway', gateway], ['--login', login]] as const) {
    if (!/^https?:\/\/[^/]/.test(url)) throw new CliError(`${name} must be an http(s) URL, got "${url}"`, EXIT.usage, 'usage');
  }
  return { gateway, login, audience: trimSlash(env['RAINYMODEL_AUDIENCE'] ?? gateway) };
}

export class CliContext {
  private meta?: LoginMetadata;

  constructor(
    readonly settings: Settings,
    readonly out: Output,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  credentials(): Credentials {
    const stored = loadCredentials(this.env);
    if (!stored) throw new CliError(`not signed in (no ${credentialsFile(this.env)}); run \`rainymodel login\``, EXIT.notSignedIn, 'not_signed_in');
    return stored;
  }

  /** Login's metadata for the stored sign-in (its own Login, whatever --login says now). */
  async loginMetadata(login = this.credentials().login): Promise<LoginMetadata> {
    this.meta ??= await discover(login);
    return this.meta;
  }

  /** An access token for Login's account API. */
  accountToken(): Promise<{ token: string; issuer: string }> {
    return this.tokenFor((meta) => accountApiResource(meta.issuer));
  }

  /** The bearer for the gateway: RAINYMODEL_API_KEY, else a token from the sign-in. */
  async gatewayBearer(): Promise<string> {
    const key = this.env['RAINYMODEL_API_KEY'];
    if (key) return key;
    return (await this.tokenFor((_meta, creds) => creds.audience)).token;
  }

  private async tokenFor(resourceOf: (meta: LoginMetadata, creds: Credentials) => string): Promise<{ token: string; issuer: string }> {
    const creds = this.credentials();
    const meta = await this.loginMetadata(creds.login);
    const tokens = await refresh(meta, creds.refreshToken, resourceOf(meta, creds));
    // Rotation: the old refresh token is spent now; keep the new one or the next run fails.
    if (tokens.refresh_token) saveCredentials({ ...creds, refreshToken: tokens.refresh_token, savedAt: new Date().toISOString() }, this.env);
    return { token: tokens.access_token, issuer: meta.issuer };
  }
}
