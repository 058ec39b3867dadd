/**
 * The gate of every admin page: an active admin of this browser's session, else a trip through
 * sign-in (GET), a 401 page (POST) or a 403 page (not an admin); POSTs also need the CSRF token,
 * and user errors become 400/404 pages.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formBody } from '../http/form-body';
import { html } from '../http/html';
import { sendPage } from '../http/security-headers';
import type { LoginContext } from '../login-context';
import type { AdminFrame } from '../pages/admin-pages';
import { messagePage } from '../pages/interaction-pages';
import { UserInputError, UserNotFoundError } from '../users/user-errors';
import { AdminSession } from './admin-session';

export class AdminGate {
  readonly session: AdminSession;

  constructor(private readonly context: LoginContext) {
    this.session = new AdminSession(context);
  }

  async asAdmin(req: FastifyRequest, reply: FastifyReply, render: (frame: AdminFrame) => Promise<FastifyReply>): Promise<FastifyReply> {
    const who = await this.session.check(req, reply);
    if (who.kind === 'signed-out') {
      if (req.method !== 'GET') return sendPage(reply, 401, messagePage({ title: 'Signed out', message: 'Your session ended. Open /admin to sign in again.' }));
      return reply.redirect(this.session.startSignIn(reply, req.url), 303);
    }
    if (who.kind === 'forbidden') {
      return sendPage(reply, 403, messagePage({ title: 'Admins only', message: `Signed in as ${who.user.email} (${who.user.role}); the admin panel needs the admin role.`, action: html`<p><a href="${this.session.signOutUrl()}">Sign out</a></p>` }));
    }
    const frame: AdminFrame = { csrf: this.context.csrf.tokenFor(req, reply), admin: who.user, signOutUrl: this.session.signOutUrl() };
    return render(frame);
  }

  asAdminPost(req: FastifyRequest, reply: FastifyReply, act: (frame: AdminFrame, body: Record<string, unknown>) => Promise<FastifyReply>): Promise<FastifyReply> {
    return this.asAdmin(req, reply, async (frame) => {
      const body = formBody(req.body);
      if (!this.context.csrf.isValid(req, body['_csrf'])) {
        return sendPage(reply, 403, messagePage({ title: 'Form expired', message: 'This form could not be verified (missing or stale security token). Reload the page and try again.' }));
      }
      try {
        return await act(frame, body);
      } catch (error) {
        if (error instanceof UserInputError || error instanceof UserNotFoundError) {
          return sendPage(reply, error instanceof UserNotFoundError ? 404 : 400, messagePage({ title: 'Not done', message: error instanceof UserNotFoundError ? 'No such user.' : error.message, action: html`<p><a href="/admin/users">Back</a></p>` }));
        }
        throw error;
      }
    });
  }
}
