/**
 * Who may call the API: the master key (constant-time, synchronous: the hot path pays one
 * SHA-256) or, when RAINYMODEL_SSO_ISSUER is set, a Login SSO access token whose role grants
 * the `rm` service (verified locally against the login's JWKS, then remembered until it
 * expires). With no master key the API is open, as before.
 */
import { AccessTokenVerifier, looksLikeJwt } from '@orcest/auth';
import type { GatewayConfig } from '@orcest/config';
import { MasterKeyAuth } from './master-key';

const BEARER = /^Bearer\s+(.+)$/i;

export class ApiAuth {
  private readonly masterKey: MasterKeyAuth;
  private readonly sso: AccessTokenVerifier | undefined;

  constructor(auth: GatewayConfig['auth']) {
    this.masterKey = new MasterKeyAuth(auth.masterKey);
    this.sso = auth.sso ? new AccessTokenVerifier({ issuer: auth.sso.issuer, jwksUrl: auth.sso.jwksUrl, audience: auth.sso.audience, service: 'rm' }) : undefined;
  }

  get mode(): 'open' | 'master_key' | 'master_key+sso' {
    if (this.masterKey.open) return 'open';
    return this.sso ? 'master_key+sso' : 'master_key';
  }

  /**
   * Returns nothing when the caller is let in at once, a promise when an SSO token must be
   * verified first (so the master-key path never awaits), and throws when refused.
   */
  authenticate(authorization: string | undefined): Promise<unknown> | undefined {
    if (this.masterKey.open) return undefined;
    if (this.sso && authorization) {
      const token = BEARER.exec(authorization)?.[1]?.trim();
      if (token && looksLikeJwt(token)) return this.sso.verify(token);
    }
    this.masterKey.check(authorization);
    return undefined;
  }
}
