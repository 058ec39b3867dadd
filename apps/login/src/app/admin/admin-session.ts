/**
 * Who is using the admin panel: the user of this browser's Login SSO session (the provider's
 * own session, so signing out anywhere signs out of the panel too), admitted only while they
 * are an active admin. Without a session the panel sends the browser through a normal
 * authorization request of the `login-admin` client, with state and PKCE, and on return
 * checks both and consumes the code in-process.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '@orcest/db';
import { readCookie, serializeCookie } from '@orcest/http';
import type { LoginContext } from '../login-context';
import { issuedBeforeCredentialChange } from '../oidc/accounts';
import { ADMIN_PANEL_CLIENT_ID } from '../oidc/client-registry';

/** Where the panel may send the browser after sign-in: its own pages, nothing else. */
export function safeAdminPath(value: unknown): string {
  return typeof value === 'string' && /^\/admin(\/[\w\-./?=&%]*)?$/.test(value) && !value.includes('//') && !value.includes('\\') ? value : '/admin';
}

/**
 * The panel's sign-in in progress, kept in the browser. It is not signed, and needs not be:
 * it is only ever checked against what the server holds (the code's PKCE challenge), so a
 * planted or altered one can only fail. It comes back from the browser, so its shape is
 * checked before use (`null` or an array is valid JSON too).
 */
interface AdminFlow {
  readonly state: string;
  readonly verifier: string;
  readonly returnTo: unknown;
}

function flowFromCookie(raw: string): AdminFlow | undefined {
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

export type AdminCheck = { readonly kind: 'admin'; readonly user: User } | { readonly kind: 'signed-out' } | { readonly kind: 'forbidden'; readonly user: User };

export class AdminSession {
  constructor(private readonly context: LoginContext) {}

  private get secure(): boolean {
    return this.context.config.issuer.startsWith('https://');
  }

  /** `__Host-` over HTTPS: a sibling subdomain can't plant it. */
  private get stateCookie(): string {
    return this.secure ? '__Host-orcest_admin_flow' : 'orcest_admin_flow';
  }

  async check(req: FastifyRequest, reply: FastifyReply): Promise<AdminCheck> {
    const provider = this.context.oidc.current;
    const session = await provider.Session.get(provider.createContext(req.raw, reply.raw));
    const accountId = session?.accountId;
    if (typeof accountId !== 'string') return { kind: 'signed-out' };
    const user = await this.context.users.findById(accountId);
    if (!user || !user.active || issuedBeforeCredentialChange(user, session.loginTs)) return { kind: 'signed-out' };
    return user.role === 'admin' ? { kind: 'admin', user } : { kind: 'forbidden', user };
  }

  /** The authorization URL that signs the browser in and comes back to /admin/callback. */
  startSignIn(reply: FastifyReply, returnTo: string): string {
    const state = randomBytes(16).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const cookie = JSON.stringify({ state, verifier, returnTo: safeAdminPath(returnTo) });
    // __Host- cookies must have Path=/.
    reply.header('set-cookie', serializeCookie(this.stateCookie, cookie, { secure: this.secure, path: this.secure ? '/' : '/admin', maxAgeSeconds: 600 }));
    const url = new URL(`${this.context.config.issuer}/oauth2/authorize`);
    url.search = new URLSearchParams({
      client_id: ADMIN_PANEL_CLIENT_ID,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: `${this.context.config.issuer}/admin/callback`,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  /** Checks state and PKCE of the returning browser and consumes its code; returns where to go. */
  async finishSignIn(req: FastifyRequest, reply: FastifyReply, query: Record<string, unknown>): Promise<string | undefined> {
    const raw = readCookie(req.headers.cookie, this.stateCookie);
    reply.header('set-cookie', serializeCookie(this.stateCookie, '', { secure: this.secure, path: this.secure ? '/' : '/admin', maxAgeSeconds: 0 }));
    if (!raw || typeof query['state'] !== 'string' || typeof query['code'] !== 'string') return undefined;
    const flow = flowFromCookie(raw);
    if (!flow || flow.state !== query['state']) return undefined;
    const code = await this.context.oidc.current.AuthorizationCode.find(query['code']);
    if (!code || code.clientId !== ADMIN_PANEL_CLIENT_ID || (code as { consumed?: unknown }).consumed) return undefined;
    const challenge = createHash('sha256').update(flow.verifier).digest('base64url');
    if (code.codeChallenge !== challenge) return undefined;
    await code.consume();
    // Checked again: the cookie came back from the browser and may not be the one we wrote.
    return safeAdminPath(flow.returnTo);
  }

  signOutUrl(): string {
    const url = new URL(`${this.context.config.issuer}/oauth2/logout`);
    url.search = new URLSearchParams({ client_id: ADMIN_PANEL_CLIENT_ID, post_logout_redirect_uri: `${this.context.config.issuer}/admin/signed-out` }).toString();
    return url.toString();
  }
}
