/**
 * Who is calling the API, and may they. In this order:
 * 1. the master key, compared first and in constant time, so it works whatever its text (a
 *    master key that happens to look like `rm-…` or a JWT is still the master key);
 * 2. a per-user API key `rm-…` (when DATABASE_URL is set), looked up by its SHA-256 in the
 *    in-memory key store;
 * 3. a Login SSO access token (when RAINYMODEL_SSO_ISSUER is set), verified locally against
 *    the login's JWKS, then remembered until it expires.
 * A presented key or token of a configured kind is checked even when the master key is empty
 * ("open" mode): a bad one is refused, a good one is limited and recorded as its user. Only a
 * request that presents no credential we know is let in as `open`, and only in open mode.
 */
import { AccessTokenVerifier, looksLikeApiKey, looksLikeJwt } from '@orcest/auth';
import type { GatewayConfig } from '@orcest/config';
import { AuthenticationError } from '../errors';
import type { ApiKeyPrincipal, ApiKeyStore } from '../keys/api-key-store';
import { BearerSecret, bearerToken, ConnectionDigests } from './bearer';

export type Principal =
  | { readonly kind: 'open' }
  | { readonly kind: 'master' }
  | { readonly kind: 'sso'; readonly userId: string; readonly role: string }
  | { readonly kind: 'api_key'; readonly userId: string; readonly apiKey: ApiKeyPrincipal };

/** A user's credential, once identified: an API key or an SSO token (verification pending). */
export type UserPrincipal = Exclude<Principal, { kind: 'open' | 'master' }>;

const OPEN: Principal = Object.freeze({ kind: 'open' });
const MASTER: Principal = Object.freeze({ kind: 'master' });

export const MISSING_KEY = 'Missing API key. Send it as "Authorization: Bearer <key>".';
export const MALFORMED_HEADER = 'Malformed Authorization header. Expected "Bearer <key>".';

export class ApiAuth {
  readonly master: BearerSecret | undefined;
  private readonly sso: AccessTokenVerifier | undefined;
  private readonly digests = new ConnectionDigests();

  constructor(
    auth: GatewayConfig['auth'],
    private readonly apiKeys?: ApiKeyStore,
  ) {
    this.master = BearerSecret.of(auth.masterKey);
    this.sso = auth.sso ? new AccessTokenVerifier({ issuer: auth.sso.issuer, jwksUrl: auth.sso.jwksUrl, egress: auth.sso.egress, audience: auth.sso.audience, service: 'rm' }) : undefined;
  }

  /** No master key: a request without credentials is let in. */
  get open(): boolean {
    return this.master === undefined;
  }

  /** Whether users can present credentials of their own (API keys or SSO tokens). */
  get hasUserCredentials(): boolean {
    return this.apiKeys !== undefined || this.sso !== undefined;
  }

  get mode(): string {
    return [this.master ? 'master_key' : 'open', this.apiKeys && 'api_keys', this.sso && 'sso'].filter(Boolean).join('+');
  }

  /**
   * The caller, at once when that needs no I/O (master key, API key, open), or as a promise
   * when an SSO token must be verified first, so the other paths never await. Throws when refused.
   * `connection` (the request's socket) lets a keep-alive client's token be hashed once.
   */
  authenticate(authorization: string | undefined, connection?: object): Principal | Promise<Principal> {
    const token = bearerToken(authorization);
    if (token === undefined) {
      if (this.open) return OPEN;
      throw new AuthenticationError(authorization ? MALFORMED_HEADER : MISSING_KEY);
    }
    const digest = this.digests.of(token, connection);
    if (this.master?.matches(digest)) return MASTER;
    const user = this.identifyUser(token, digest);
    if (user !== undefined) return user;
    // Open mode ignores a token of no configured kind (an SDK needs *some* key: "none", an
    // OpenAI key left in a client); a closed gateway refuses it.
    if (this.open) return OPEN;
    throw new AuthenticationError('Incorrect API key provided.');
  }

  /**
   * A user's credential of a configured kind: the API key's principal, or the verified SSO
   * token's (a promise). Throws when it is of a configured kind but not valid; undefined when
   * the token is of no configured kind.
   */
  identifyUser(token: string, digest: Buffer): UserPrincipal | Promise<UserPrincipal> | undefined {
    if (this.apiKeys && looksLikeApiKey(token)) {
      const apiKey = this.apiKeys.findByDigest(digest);
      if (!apiKey) throw new AuthenticationError('Incorrect API key provided (unknown or revoked key).');
      return { kind: 'api_key', userId: apiKey.userId, apiKey };
    }
    if (this.sso && looksLikeJwt(token)) return this.sso.verify(token).then((verified) => ({ kind: 'sso', userId: verified.sub, role: verified.role }));
    return undefined;
  }
}
