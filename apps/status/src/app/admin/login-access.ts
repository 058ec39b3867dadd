/**
 * Whether a signed-in admin still is one, asked of Login SSO at most once a minute per user,
 * so a session ends within a minute of the user being deactivated, deleted or losing the admin
 * role there (the session cookie alone would last its 8 hours).
 *
 * Asked how: Login's `GET /api/user/{id}/access?service=admin` with the status client's own
 * credentials (HTTP Basic). It answers the user's *current* `active` and `role`, needs no
 * token of the user's, so it works for the whole session whatever the token lifetimes. The
 * alternatives were weaker: userinfo needs the user's access token, which expires long before
 * the session (and Login's are JWTs for the gateway, which userinfo refuses); a refresh token
 * would have to be kept secret in the cookie (encrypted) and rotated on every check.
 *
 * When Login cannot answer, the session is refused with a 503 ("cannot confirm your access"):
 * fail closed, because a deactivated admin must not keep their access by outliving Login.
 */
import type { OidcSettings } from '@orcest/monitoring';
import { Agent, request } from 'undici';
import type { Clock } from '../clock';
import { SignInUnavailableError } from '../errors';

/** The Login service the `status` client belongs to (libs/config's login client list). */
export const STATUS_SERVICE = 'admin';
export const ACCESS_RECHECK_MS = 60_000;
const ACCESS_TIMEOUT_MS = 5_000;
/** Verdicts are few (one per admin); the bound only matters if that ever changes. */
const MAX_REMEMBERED = 1_000;

interface Verdict {
  readonly at: number;
  readonly admin: boolean;
}

export class LoginAccessCheck {
  private readonly verdicts = new Map<string, Verdict>();
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 2 });
  /** Questions actually sent to Login (tests check the once-a-minute bound with it). */
  asked = 0;

  constructor(
    private readonly settings: OidcSettings,
    private readonly clock: Clock,
    private readonly recheckMs = ACCESS_RECHECK_MS,
  ) {}

  /** True while Login says the user is active and has the admin role; throws SignInUnavailableError when it can't tell. */
  async isStillAdmin(sub: string): Promise<boolean> {
    const now = this.clock.now();
    const known = this.verdicts.get(sub);
    if (known && now - known.at < this.recheckMs && now >= known.at) return known.admin;
    let pending = this.inFlight.get(sub);
    if (!pending) {
      pending = this.ask(sub).finally(() => this.inFlight.delete(sub));
      this.inFlight.set(sub, pending);
    }
    return pending;
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async ask(sub: string): Promise<boolean> {
    const { issuer, clientId, clientSecret } = this.settings;
    if (clientSecret === undefined) throw new SignInUnavailableError('Admin sign-in is not configured: set OIDC_STATUS_SECRET.');
    this.asked++;
    // A server-to-server call: Login's internal address when the issuer is the browser's only (compose).
    const url = `${this.settings.internalUrl ?? issuer}/api/user/${encodeURIComponent(sub)}/access?service=${STATUS_SERVICE}`;
    // RFC 6749 §2.3.1: id and secret are form-encoded before Basic's base64.
    const basic = Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64');
    let status: number;
    let body: unknown;
    try {
      const res = await request(url, { headers: { authorization: `Basic ${basic}`, accept: 'application/json' }, dispatcher: this.agent, signal: AbortSignal.timeout(ACCESS_TIMEOUT_MS) });
      status = res.statusCode;
      body = status === 200 ? await res.body.json() : (await res.body.dump(), undefined);
    } catch (error) {
      throw new SignInUnavailableError(`Login SSO at ${issuer} cannot confirm your access right now (${(error as Error).message}). Try again shortly.`);
    }
    let admin: boolean;
    if (status === 200) admin = isAdminAnswer(body, this.settings.adminRole);
    else if (status === 404) admin = false; // the user no longer exists
    else throw new SignInUnavailableError(`Login SSO at ${issuer} cannot confirm your access right now (HTTP ${status}${status === 401 ? ': check OIDC_STATUS_SECRET' : ''}). Try again shortly.`);
    this.remember(sub, { at: this.clock.now(), admin });
    return admin;
  }

  private remember(sub: string, verdict: Verdict): void {
    if (this.verdicts.size >= MAX_REMEMBERED) {
      const oldest = this.verdicts.keys().next().value;
      if (oldest !== undefined) this.verdicts.delete(oldest);
    }
    this.verdicts.delete(sub);
    this.verdicts.set(sub, verdict);
  }
}

/** Login's answer: `{user_id, service, role, active, allowed}`. All three must say yes. */
function isAdminAnswer(body: unknown, adminRole: string): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const { active, role, allowed } = body as { active?: unknown; role?: unknown; allowed?: unknown };
  return active === true && allowed === true && role === adminRole;
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
