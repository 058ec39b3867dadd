/**
 * Who is calling, and may they: the master key (constant-time; the hot path pays one SHA-256),
 * a per-user API key `rm-…` (looked up by hash in the in-memory key store), or, when
 * RAINYMODEL_SSO_ISSUER is set, a Login SSO access token whose role grants `rm` (verified
 * locally against the login's JWKS, then remembered until it expires). With no master key the
 * API is open, as before.
 */
import { AccessTokenVerifier, looksLikeApiKey, looksLikeJwt } from '@orcest/auth';
import type { GatewayConfig } from '@orcest/config';
import { AuthenticationError } from '../errors';
import type { ApiKeyPrincipal, ApiKeyStore } from '../keys/api-key-store';
import { MasterKeyAuth } from './master-key';

const BEARER = /^Bearer\s+(.+)$/i;

export type Principal =
  | { readonly kind: 'open' }
  | { readonly kind: 'master' }
  | { readonly kind: 'sso'; readonly userId: string }
  | { readonly kind: 'api_key'; readonly userId: string; readonly apiKey: ApiKeyPrincipal };

const OPEN: Principal = Object.freeze({ kind: 'open' });
const MASTER: Principal = Object.freeze({ kind: 'master' });

export class ApiAuth {
  private readonly masterKey: MasterKeyAuth;
  private readonly sso: AccessTokenVerifier | undefined;

  constructor(
    auth: GatewayConfig['auth'],
    private readonly apiKeys?: ApiKeyStore,
  ) {
    this.masterKey = new MasterKeyAuth(auth.masterKey);
    this.sso = auth.sso ? new AccessTokenVerifier({ issuer: auth.sso.issuer, jwksUrl: auth.sso.jwksUrl, audience: auth.sso.audience, service: 'rm' }) : undefined;
  }

  get mode(): string {
    if (this.masterKey.open) return 'open';
    return ['master_key', this.apiKeys && 'api_keys', this.sso && 'sso'].filter(Boolean).join('+');
  }

  /**
   * The caller, at once when that needs no I/O (master key, API key), or as a promise when an
   * SSO token must be verified first, so the master-key path never awaits. Throws when refused.
   */
  authenticate(authorization: string | undefined): Principal | Promise<Principal> {
    if (this.masterKey.open) return OPEN;
    const token = authorization ? BEARER.exec(authorization)?.[1]?.trim() : undefined;
    if (token && this.apiKeys && looksLikeApiKey(token)) {
      const apiKey = this.apiKeys.find(token);
      if (!apiKey) throw new AuthenticationError('Incorrect API key provided (unknown or revoked key).');
      return { kind: 'api_key', userId: apiKey.userId, apiKey };
    }
    if (token && this.sso && looksLikeJwt(token)) return this.sso.verify(token).then((verified) => ({ kind: 'sso', userId: verified.sub }));
    this.masterKey.check(authorization);
    return MASTER;
  }
}
