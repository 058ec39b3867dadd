/**
 * Admin sign-in through Login SSO: OpenID Connect authorization code + PKCE (S256) with
 * `openid-client`, the ID token's `role` claim must be the admin role, and the session lives
 * in a signed HttpOnly SameSite=Lax cookie (Secure on https) carrying a CSRF token for the
 * admin forms. Without a client secret nothing here works and /admin says why: it is never open.
 *
 * Two signed values, each with its own purpose (`@orcest/http`'s SignedValues: a key per
 * purpose and a checked purpose field): the sign-in round trip (state, nonce, PKCE verifier;
 * 10 minutes, on /auth) and the session (8 hours). One can never be taken for the other. A
 * session counts only when it is one, unexpired, for the admin role, and Login still says so
 * (`LoginAccessCheck`, at most once a minute per user).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hasStringFields, readCookie, serializeCookie, SignedValues } from '@orcest/http';
import type { OidcSettings } from '@orcest/monitoring';
import * as oidc from 'openid-client';
import type { Clock } from '../clock';
import { ForbiddenError, NotSignedInError, SignInUnavailableError } from '../errors';
import { LoginAccessCheck } from './login-access';

export const SESSION_COOKIE = 'status_session';
export const FLOW_COOKIE = 'status_signin';
export const SESSION_TTL_MS = 8 * 3_600_000;
const FLOW_TTL_MS = 10 * 60_000;
/** The purposes of the two signed values; part of their keys, so renaming one ends those values. */
const SESSION_PURPOSE = 'status.admin-session';
const FLOW_PURPOSE = 'status.sign-in-flow';

export interface AdminSession {
  readonly sub: string;
  readonly name: string;
  readonly role: string;
  readonly csrf: string;
}

interface SignInFlow {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

const isSession = hasStringFields('sub', 'name', 'role', 'csrf');
const isFlow = hasStringFields('state', 'nonce', 'verifier');

export class AdminAuth {
  private readonly signed: SignedValues;
  private readonly secure: boolean;
  readonly access: LoginAccessCheck;
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly settings: OidcSettings,
    private readonly baseUrl: string,
    sessionSecret: string,
    private readonly clock: Clock,
  ) {
    this.signed = new SignedValues(sessionSecret);
    this.secure = baseUrl.startsWith('https:');
    this.access = new LoginAccessCheck(settings, clock);
  }

  get configured(): boolean {
    return this.settings.clientSecret !== undefined;
  }

  get redirectUri(): string {
    return `${this.baseUrl}/auth/callback`;
  }

  /** The session the cookie holds, if it is a valid, unexpired admin session (Login not asked). */
  session(cookieHeaderValue: string | undefined): AdminSession | undefined {
    const session = this.signed.verify(SESSION_PURPOSE, readCookie(cookieHeaderValue, SESSION_COOKIE), this.clock.now(), isSession);
    // Sessions are only ever issued to admins; a role check here too keeps a changed
    // STATUS_ADMIN_ROLE from honouring sessions issued under the old one.
    return session?.role === this.settings.adminRole ? session : undefined;
  }

  /** The signed-in admin; NotSignedInError (401) for anything else, SignInUnavailableError (503) when Login can't confirm. */
  async requireAdmin(cookieHeaderValue: string | undefined): Promise<AdminSession> {
    if (!this.configured) throw new SignInUnavailableError('Admin sign-in is not configured: set OIDC_STATUS_SECRET (the "status" client secret registered at Login SSO).');
    const session = this.session(cookieHeaderValue);
    if (!session) throw new NotSignedInError();
    if (!(await this.access.isStillAdmin(session.sub))) throw new NotSignedInError('Your admin access has ended (your account was deactivated or is no longer an admin at Login SSO). Sign in again if it was restored.');
    return session;
  }

  /** A form post must carry the session's CSRF token. */
  checkCsrf(session: AdminSession, token: unknown): void {
    const given = Buffer.from(typeof token === 'string' ? token : '');
    const expected = Buffer.from(session.csrf);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ForbiddenError('The form expired or did not come from this site (CSRF token mismatch). Reload the page and try again.');
  }

  /** Where to send the browser to sign in, and the cookie that remembers the round trip. */
  async beginSignIn(): Promise<{ location: string; setCookie: string }> {
    const config = await this.configuration();
    const flow: SignInFlow = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const location = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid profile email',
      response_type: 'code',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
    });
    const value = this.signed.sign(FLOW_PURPOSE, flow, FLOW_TTL_MS, this.clock.now());
    return { location: location.href, setCookie: serializeCookie(FLOW_COOKIE, value, { maxAgeSeconds: FLOW_TTL_MS / 1000, secure: this.secure, path: '/auth' }) };
  }

  /**
   * Completes the code flow. Returns the session cookie for an admin; throws ForbiddenError
   * for anyone else (the cookie is not set, so a viewer never holds a session).
   */
  async completeSignIn(callbackUrl: URL, cookieHeaderValue: string | undefined): Promise<{ setCookies: string[]; session: AdminSession }> {
    const config = await this.configuration();
    const flow = this.signed.verify(FLOW_PURPOSE, readCookie(cookieHeaderValue, FLOW_COOKIE), this.clock.now(), isFlow);
    const clearFlow = serializeCookie(FLOW_COOKIE, '', { maxAgeSeconds: 0, secure: this.secure, path: '/auth' });
    if (!flow) throw new NotSignedInError('The sign-in took too long or started elsewhere. Start again.');
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
      claims = tokens.claims();
    } catch (error) {
      throw new NotSignedInError(`Sign-in failed: ${(error as Error).message}`);
    }
    if (!claims) throw new NotSignedInError('Sign-in failed: no ID token.');
    const role = typeof claims['role'] === 'string' ? claims['role'] : '';
    if (role !== this.settings.adminRole) throw new ForbiddenError(`Your account (role "${role || 'none'}") may not administer the status page: it needs the ${this.settings.adminRole} role.`);
    const session: AdminSession = {
      sub: claims.sub,
      name: typeof claims['name'] === 'string' ? claims['name'] : typeof claims['email'] === 'string' ? claims['email'] : claims.sub,
      role,
      csrf: randomBytes(24).toString('base64url'),
    };
    const value = this.signed.sign(SESSION_PURPOSE, session, SESSION_TTL_MS, this.clock.now());
    return { session, setCookies: [clearFlow, serializeCookie(SESSION_COOKIE, value, { maxAgeSeconds: SESSION_TTL_MS / 1000, secure: this.secure })] };
  }

  signOutCookie(): string {
    return serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: this.secure });
  }

  close(): Promise<void> {
    return this.access.close();
  }

  /** Discovery is done once and kept; a failure is retried on the next sign-in. */
  private configuration(): Promise<oidc.Configuration> {
    if (!this.configured) return Promise.reject(new SignInUnavailableError('Admin sign-in is not configured: set OIDC_STATUS_SECRET.'));
    this.discovered ??= oidc
      .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, undefined, {
        // Local development runs Login SSO on plain http://localhost.
        execute: this.settings.issuer.startsWith('http:') || this.settings.internalUrl?.startsWith('http:') ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
        ...(this.settings.internalUrl ? { [oidc.customFetch]: viaInternalUrl(this.settings.issuer, this.settings.internalUrl) } : {}),
      })
      .catch((error: Error) => {
        this.discovered = undefined;
        throw new SignInUnavailableError(`Login SSO at ${this.settings.issuer} cannot be reached (${error.message}). Try again later.`);
      });
    return this.discovered;
  }
}

/**
 * Server-to-server calls (discovery, token, JWKS) go to `internalUrl` while every URL keeps the
 * issuer's origin for the browser and for the ID token's `iss` check: inside docker compose the
 * issuer http://localhost:8090 would be this container itself.
 */
function viaInternalUrl(issuer: string, internalUrl: string): oidc.CustomFetch {
  const from = new URL(issuer).origin;
  const to = new URL(internalUrl).origin;
  const ours = (url: string): boolean => url === from || url.startsWith(`${from}/`);
  return (url, options) => fetch(ours(url) ? to + url.slice(from.length) : url, options as RequestInit);
}
