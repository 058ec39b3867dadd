/**
 * The gate every account page goes through: a signed-in, active user (any role) of this
 * browser's provider session, else a trip through sign-in (GET) or a 401 page (POST); POSTs
 * also need the CSRF token. Each page view is a sighting of the session (device, address).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PanelSession, type PanelUser } from '../browser/panel-session';
import { formBody, type FormBody } from '../http/form-body';
import { html } from '../http/html';
import { sendPage } from '../http/security-headers';
import type { LoginContext } from '../login-context';
import { ACCOUNT_PAGES_CLIENT_ID } from '../oidc/client-registry';
import type { AccountFrame } from '../pages/account/account-frame';
import { messagePage } from '../pages/interaction-pages';
import { UserInputError, UserNotFoundError } from '../users/user-errors';

export interface AccountRequest {
  readonly frame: AccountFrame;
  readonly who: PanelUser;
}

/** Outcomes named in redirects (`?done=`), so no free text from the URL is ever shown. */
const NOTICES: Record<string, string> = {
  revoked: 'API key revoked. The gateway stops accepting it within seconds.',
  password: 'Password changed. Every other browser and app was signed out.',
  session: 'That browser was signed out.',
  totp_on: 'Two-factor sign-in is on.',
  totp_off: 'Two-factor sign-in is off.',
};

export class AccountGate {
  readonly session: PanelSession;

  constructor(private readonly context: LoginContext) {
    this.session = new PanelSession(context, { basePath: '/account', clientId: ACCOUNT_PAGES_CLIENT_ID, cookieName: 'account' });
  }

  async page(req: FastifyRequest, reply: FastifyReply, render: (r: AccountRequest) => Promise<FastifyReply>): Promise<FastifyReply> {
    const who = await this.session.current(req, reply);
    if (!who) {
      if (req.method !== 'GET') return sendPage(reply, 401, messagePage({ title: 'Signed out', message: 'Your session ended. Open /account to sign in again.' }));
      return reply.redirect(this.session.startSignIn(reply, req.url), 303);
    }
    await this.context.sessions.record({ sessionUid: who.sessionUid, userId: who.user.id, userAgent: req.headers['user-agent'], ip: req.ip });
    const done = (req.query as Record<string, unknown> | undefined)?.['done'];
    const notice = typeof done === 'string' ? NOTICES[done] : undefined;
    const frame: AccountFrame = { csrf: this.context.csrf.tokenFor(req, reply), user: who.user, signOutUrl: this.session.signOutUrl(), ...(notice ? { notice } : {}) };
    return render({ frame, who });
  }

  /** A form POST: CSRF checked; user errors become a 400 page, unknown ids a 404 page. */
  post(req: FastifyRequest, reply: FastifyReply, act: (r: AccountRequest, body: FormBody) => Promise<FastifyReply>): Promise<FastifyReply> {
    return this.page(req, reply, async (r) => {
      const body = formBody(req.body);
      if (!this.context.csrf.isValid(req, body['_csrf'])) {
        return sendPage(reply, 403, messagePage({ title: 'Form expired', message: 'This form could not be verified (missing or stale security token). Reload the page and try again.' }));
      }
      try {
        return await act(r, body);
      } catch (error) {
        if (error instanceof UserNotFoundError) return this.notFound(reply);
        if (error instanceof UserInputError) return sendPage(reply, 400, messagePage({ title: 'Not done', message: error.message, action: html`<p><a href="/account">Back</a></p>` }));
        throw error;
      }
    });
  }

  notFound(reply: FastifyReply): FastifyReply {
    return sendPage(reply, 404, messagePage({ title: 'Not found', message: 'There is nothing of yours here.', action: html`<p><a href="/account">Back to your account</a></p>` }));
  }
}
