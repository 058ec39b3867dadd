/**
 * Who is using one of Login's own browser sections (the admin panel at /admin, the account
 * pages at /account): the user of this browser's provider session — so signing out anywhere
 * signs out here too — while they are active and signed in after their last credential change.
 * Without a session the section sends the browser through a normal authorization request of its
 * internal client (state + PKCE), and on return checks both and consumes the code in-process.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '@orcest/db';
import { readCookie, serializeCookie } from '@orcest/http';
import type { LoginContext } from '../login-context';
import { issuedBeforeCredentialChange } from '../oidc/accounts';

/** One browser section: its path (`/admin`) and the internal client that signs into it. */
export interface PanelSpec {
  readonly basePath: string;
  readonly clientId: string;
  /** Names the flow cookie: `orcest_<name>_flow`. */
  readonly cookieName: string;
}

/** The signed-in user and the provider session they hold (its cookie id `jti` and `uid`). */
export interface PanelUser {
  readonly user: User;
  readonly sessionJti: string;
  readonly sessionUid: string;
}

/**
 * The section's sign-in in progress, kept in the browser. It is not signed, and needs not be:
 * it is only ever checked against what the server holds (the code's PKCE challenge), so a
 * planted or altered one can only fail. It comes back from the browser, so its shape is
 * checked before use (`null` or an array is valid JSON too).
 */
interface PanelFlow {
  readonly state: string;
  readonly verifier: string;
  readonly returnTo: unknown;
}

function flowFromCookie(raw: string): PanelFlow | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { state, verifier, returnTo } = value as Record<string, unknown>;
  return typeof state === 'string' && typeof verifier === 'string' ? { state, verifier, returnTo } : undefined;
}

export class PanelSession {
  constructor(
    private readonly context: LoginContext,
    private readonly spec: PanelSpec,
  ) {}

  private get secure(): boolean {
    return this.context.config.issuer.startsWith('https://');
  }

  /** `__Host-` over HTTPS: a sibling subdomain can't plant it. */
  private get stateCookie(): string {
    return this.secure ? `__Host-orcest_${this.spec.cookieName}_flow` : `orcest_${this.spec.cookieName}_flow`;
  }

  /** Where the section may send the browser after sign-in: its own pages, nothing else. */
  safePath(value: unknown): string {
    const base = this.spec.basePath;
    const ok = typeof value === 'string' && (value === base || (value.startsWith(`${base}/`) && /^[\w\-./?=&%]*$/.test(value))) && !value.includes('//') && !value.includes('\\');
    return ok ? value : base;
  }

  /** The signed-in, active user of this browser, or undefined. */
  async current(req: FastifyRequest, reply: FastifyReply): Promise<PanelUser | undefined> {
    const provider = this.context.oidc.current;
    const session = await provider.Session.get(provider.createContext(req.raw, reply.raw));
    const accountId = session?.accountId;
    if (typeof accountId !== 'string') return undefined;
    const user = await this.context.users.findById(accountId);
    if (!user || !user.active || issuedBeforeCredentialChange(user, session.loginTs)) return undefined;
    return { user, sessionJti: session.jti, sessionUid: session.uid };
  }

  /** The authorization URL that signs the browser in and comes back to `<base>/callback`. */
  startSignIn(reply: FastifyReply, returnTo: string): string {
    const state = randomBytes(16).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const cookie = JSON.stringify({ state, verifier, returnTo: this.safePath(returnTo) });
    // __Host- cookies must have Path=/.
    reply.header('set-cookie', serializeCookie(this.stateCookie, cookie, { secure: this.secure, path: this.secure ? '/' : this.spec.basePath, maxAgeSeconds: 600 }));
    const url = new URL(`${this.context.config.issuer}/oauth2/authorize`);
    url.search = new URLSearchParams({
      client_id: this.spec.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: `${this.context.config.issuer}${this.spec.basePath}/callback`,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  /** Checks state and PKCE of the returning browser and consumes its code; returns where to go. */
  async finishSignIn(req: FastifyRequest, reply: FastifyReply, query: Record<string, unknown>): Promise<string | undefined> {
    const raw = readCookie(req.headers.cookie, this.stateCookie);
    reply.header('set-cookie', serializeCookie(this.stateCookie, '', { secure: this.secure, path: this.secure ? '/' : this.spec.basePath, maxAgeSeconds: 0 }));
    if (!raw || typeof query['state'] !== 'string' || typeof query['code'] !== 'string') return undefined;
    const flow = flowFromCookie(raw);
    if (!flow || flow.state !== query['state']) return undefined;
    const code = await this.context.oidc.current.AuthorizationCode.find(query['code']);
    if (!code || code.clientId !== this.spec.clientId || (code as { consumed?: unknown }).consumed) return undefined;
    const challenge = createHash('sha256').update(flow.verifier).digest('base64url');
    if (code.codeChallenge !== challenge) return undefined;
    await code.consume();
    // Checked again: the cookie came back from the browser and may not be the one we wrote.
    return this.safePath(flow.returnTo);
  }

  signOutUrl(): string {
    const url = new URL(`${this.context.config.issuer}/oauth2/logout`);
    url.search = new URLSearchParams({ client_id: this.spec.clientId, post_logout_redirect_uri: `${this.context.config.issuer}${this.spec.basePath}/signed-out` }).toString();
    return url.toString();
  }
}
