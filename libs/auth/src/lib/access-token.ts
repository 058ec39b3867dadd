/**
 * The contract between Login SSO and the apps that accept its access tokens: a JWT with
 * `typ: at+jwt`, RS256, issuer = the login URL, audience = the app's resource URL, and the
 * claims below. Login issues it (apps/login); the gateway verifies it with the login's JWKS.
 */
import { createRemoteJWKSet, customFetch, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import type { EgressPolicy, ResolveHost } from '@orcest/egress';
import { guardedJwksFetch } from './jwks-fetch';
import { isRole, roleGrantsService, type RoleName } from './rbac';

export interface VerifiedAccessToken {
  readonly sub: string;
  readonly email?: string;
  readonly role: RoleName;
  readonly clientId?: string;
  /** Seconds since the epoch. */
  readonly exp: number;
}

/** The token is not one of ours, or no longer valid: 401. */
export class InvalidAccessTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAccessTokenError';
  }
}

/** The login's key set could not be fetched, so no verdict on the token is possible: 503. */
export class TokenVerificationUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TokenVerificationUnavailableError';
  }
}

/** A valid token whose role lacks the service: 403. */
export class InsufficientRoleError extends Error {
  constructor(
    readonly role: string,
    readonly service: string,
  ) {
    super(`the role "${role}" does not grant the service "${service}"`);
    this.name = 'InsufficientRoleError';
  }
}

export interface AccessTokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  /** The service the caller's role must grant, e.g. `rm` for the gateway. */
  readonly service: string;
  readonly jwksUrl?: string;
  /** Verified tokens remembered (by their exact text) until they expire. */
  readonly cacheSize?: number;
  /** Least time between two JWKS fetches caused by unknown `kid`s (default 30 s). */
  readonly jwksCooldownMs?: number;
  /** Resolves the JWKS URL's host (tests point it at a fake DNS server); answers pass the egress guard (jwks-fetch.ts). */
  readonly resolveHost?: ResolveHost;
  /** Where the JWKS fetch may connect; default EgressPolicy.PLATFORM_NETWORK. */
  readonly egress?: EgressPolicy;
  readonly now?: () => number;
}

/** Three base64url segments starting with a JSON header: worth an RSA check, unlike a plain key. */
export function looksLikeJwt(token: string): boolean {
  return token.startsWith('eyJ') && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

/**
 * Verifies access tokens locally. The key set is fetched from the JWKS URL (never from a
 * link-local or cloud metadata address: jwks-fetch.ts), cached, and
 * refetched when a token names an unknown `kid` (at most once per 30 s, jose's cooldown), so a
 * key rotation at the login needs no restart here. A verified token is remembered until it
 * expires, so a client reusing its token pays for one RSA verification, not one per request.
 */
export class AccessTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly verified = new Map<string, VerifiedAccessToken>();
  private readonly cacheSize: number;
  private readonly now: () => number;

  constructor(private readonly options: AccessTokenVerifierOptions) {
    this.jwks = createRemoteJWKSet(new URL(options.jwksUrl ?? `${options.issuer}/oauth2/jwks`), {
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: 10 * 60_000,
      [customFetch]: guardedJwksFetch(options.egress, options.resolveHost),
    });
    this.cacheSize = options.cacheSize ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async verify(token: string): Promise<VerifiedAccessToken> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const cached = this.verified.get(token);
    if (cached && cached.exp > nowSeconds) return this.authorize(cached);
    if (cached) this.verified.delete(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        typ: 'at+jwt',
        algorithms: ['RS256'],
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      if (isKeySetOutage(error)) throw new TokenVerificationUnavailableError(`the login key set could not be fetched (${rootCause(error)})`, { cause: error });
      throw new InvalidAccessTokenError(describeJoseError(error));
    }
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number' || !isRole(payload['role'])) {
      throw new InvalidAccessTokenError('the token lacks sub, exp or a known role');
    }
    const accepted: VerifiedAccessToken = {
      sub: payload.sub,
      email: typeof payload['email'] === 'string' ? payload['email'] : undefined,
      role: payload['role'],
      clientId: typeof payload['client_id'] === 'string' ? payload['client_id'] : undefined,
      exp: payload.exp,
    };
    this.remember(token, accepted);
    return this.authorize(accepted);
  }

  private authorize(token: VerifiedAccessToken): VerifiedAccessToken {
    if (!roleGrantsService(token.role, this.options.service)) throw new InsufficientRoleError(token.role, this.options.service);
    return token;
  }

  private remember(text: string, token: VerifiedAccessToken): void {
    // Insertion order makes the first key the oldest: a bounded, cheap eviction.
    if (this.verified.size >= this.cacheSize) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(text, token);
  }
}

/** Anything that is not a JOSE verdict on the token itself is the key set's fetch failing. */
function isKeySetOutage(error: unknown): boolean {
  return error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || !(error instanceof joseErrors.JOSEError);
}

/** The innermost reason of a failed fetch (undici's "fetch failed" wraps the socket's error, e.g. the egress guard's refusal). */
function rootCause(error: unknown): string {
  let inner = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return inner instanceof Error ? inner.message : String(inner);
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted here`;
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'the token was not signed by a key the login publishes';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  return 'the token is not a valid access token';
}
