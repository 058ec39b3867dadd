/**
 * `/admin`: users, clients, signing keys and the audit log, for active admins signed in
 * through this same provider. Every POST is CSRF-checked and then redirects (so a reload
 * never repeats it), except those that show a new secret once.
 */
import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '@orcest/db';
import { field } from '../http/form-body';
import { html } from '../http/html';
import { sendPage } from '../http/security-headers';
import { LoginContext } from '../login-context';
import { apiKeysPage, auditPage, clientsPage, keysPage, usersPage, type AdminFrame } from '../pages/admin-pages';
import { messagePage } from '../pages/interaction-pages';
import { UserInputError, UserNotFoundError } from '../users/user-errors';
import { AdminGate } from './admin-gate';
import type { AdminSession } from './admin-session';

const PAGE_SIZE = 25;

/** Outcomes named in the redirect, so no free text from the URL is ever shown. */
const NOTICES: Record<string, string> = {
  created: 'User created.',
  role: 'Role changed. It applies to new tokens and at the next refresh.',
  activated: 'User activated.',
  deactivated: 'User deactivated and signed out everywhere.',
  key: 'New signing key added.',
  retired: 'Key no longer published.',
  revoked: 'API key revoked. The gateway stops accepting it within seconds.',
  budget: 'Monthly budget saved. The gateway applies it within seconds.',
};

function pageNumber(value: unknown): number {
  const n = typeof value === 'string' ? Number.parseInt(value, 10) : 1;
  return Number.isFinite(n) && n >= 1 && n <= 100_000 ? n : 1;
}

function text(value: unknown, max = 200): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

@Controller('admin')
export class AdminController {
  private readonly gate: AdminGate;

  constructor(@Inject(LoginContext) private readonly context: LoginContext) {
    this.gate = new AdminGate(context);
  }

  private get session(): AdminSession {
    return this.gate.session;
  }

  @Get()
  root(@Res() reply: FastifyReply): FastifyReply {
    return reply.redirect('/admin/users', 303);
  }

  @Get('callback')
  async callback(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    if (typeof query['error'] === 'string') {
      return sendPage(reply, 403, messagePage({ title: 'Not signed in', message: 'Signing in to the admin panel was cancelled or refused.', detail: text(query['error']) }));
    }
    const returnTo = await this.session.finishSignIn(req, reply, query);
    if (!returnTo) return sendPage(reply, 400, messagePage({ title: 'Sign-in expired', message: 'This sign-in could not be verified. Open /admin and try again.' }));
    return reply.redirect(returnTo, 303);
  }

  @Get('signed-out')
  signedOut(@Res() reply: FastifyReply): FastifyReply {
    return sendPage(reply, 200, messagePage({ title: 'Signed out', message: 'You are signed out.', action: html`<p><a href="/admin">Sign in again</a></p>` }));
  }

  @Get('users')
  users(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdmin(req, reply, async (frame) => {
      const q = text(query['q'], 100);
      return sendPage(reply, 200, usersPage(this.withNotice(frame, query), await this.context.users.list(pageNumber(query['page']), PAGE_SIZE, q || undefined), q));
    });
  }

  @Post('users')
  createUser(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdminPost(req, reply, async (frame, body) => {
      try {
        await this.context.users.create(
          { email: field(body, 'email', 254) ?? '', name: field(body, 'name', 200) ?? '', role: field(body, 'role', 20) ?? '', password: field(body, 'password', 512) ?? '' },
          frame.admin.id,
        );
      } catch (error) {
        if (!(error instanceof UserInputError)) throw error;
        return sendPage(reply, 400, usersPage({ ...frame, error: error.message }, await this.context.users.list(1, PAGE_SIZE), ''));
      }
      return reply.redirect('/admin/users?done=created', 303);
    });
  }

  @Post('users/:id/role')
  changeRole(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdminPost(req, reply, async (frame, body) => {
      await this.context.users.changeRole(id, field(body, 'role', 20) ?? '', frame.admin.id);
      return reply.redirect('/admin/users?done=role', 303);
    });
  }

  @Post('users/:id/active')
  setActive(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdminPost(req, reply, async (frame, body) => {
      const active = field(body, 'active', 5) === 'true';
      await this.context.users.setActive(id, active, frame.admin.id);
      return reply.redirect(`/admin/users?done=${active ? 'activated' : 'deactivated'}`, 303);
    });
  }

  @Post('users/:id/password')
  resetPassword(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdminPost(req, reply, async (frame) => {
      const password = await this.context.users.resetPassword(id, frame.admin.id);
      const user = (await this.context.users.findById(id)) as User;
      const secret = { label: `New password of ${user.email}`, value: password };
      return sendPage(reply, 200, usersPage({ ...frame, secret }, await this.context.users.list(1, PAGE_SIZE), ''));
    });
  }

  @Get('users/:id/keys')
  apiKeys(@Param('id') id: string, @Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdmin(req, reply, async (frame) => {
      const user = await this.context.users.findById(id);
      if (!user) throw new UserNotFoundError(id);
      return sendPage(reply, 200, apiKeysPage(this.withNotice(frame, query), user, await this.context.apiKeys.listFor(user.id)));
    });
  }

  @Post('users/:id/keys')
  createApiKey(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdminPost(req, reply, async (frame, body) => {
      const user = await this.context.users.findById(id);
      if (!user) throw new UserNotFoundError(id);
      const { key } = await this.context.apiKeys.create(user.id, { name: field(body, 'name', 200) ?? '', rpmLimit: field(body, 'rpm', 20), tpmLimit: field(body, 'tpm', 20) }, frame.admin.id);
      const secret = { label: `New API key of ${user.email}`, value: key };
      return sendPage(reply, 200, apiKeysPage({ ...frame, secret }, user, await this.context.apiKeys.listFor(user.id)));
    });
  }

  @Post('users/:id/budget')
  setBudget(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdminPost(req, reply, async (frame, body) => {
      await this.context.users.setMonthlyBudget(id, field(body, 'budget', 20), frame.admin.id);
      return reply.redirect(`/admin/users/${encodeURIComponent(id)}/keys?done=budget`, 303);
    });
  }

  @Post('users/:id/keys/:keyId/revoke')
  revokeApiKey(@Param('id') id: string, @Param('keyId') keyId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdminPost(req, reply, async (frame) => {
      if (!(await this.context.apiKeys.revoke(id, keyId, frame.admin.id))) throw new UserInputError('No such active key.');
      return reply.redirect(`/admin/users/${encodeURIComponent(id)}/keys?done=revoked`, 303);
    });
  }

  @Get('clients')
  clients(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdmin(req, reply, async (frame) => sendPage(reply, 200, clientsPage(frame, await this.context.clients.list(), (id) => this.context.clients.envOverride(id))));
  }

  @Post('clients/:id/rotate')
  rotateClientSecret(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdminPost(req, reply, async (frame) => {
      const secret = await this.context.clients.rotateSecret(id, frame.admin.id);
      const list = await this.context.clients.list();
      if (!secret) return sendPage(reply, 404, clientsPage({ ...frame, error: `No client ${id} to rotate.` }, list, (c) => this.context.clients.envOverride(c)));
      return sendPage(reply, 200, clientsPage({ ...frame, secret: { label: `New secret of ${id}`, value: secret } }, list, (c) => this.context.clients.envOverride(c)));
    });
  }

  @Get('keys')
  keys(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdmin(req, reply, async (frame) => {
      const fromEnv = this.context.config.rsaKeys !== undefined;
      const signing = fromEnv ? undefined : (await this.context.keys.load()).keys[0]?.kid;
      return sendPage(reply, 200, keysPage(this.withNotice(frame, query), await this.context.keys.list(), signing, fromEnv));
    });
  }

  @Post('keys/rotate')
  rotateKey(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdminPost(req, reply, async (frame) => {
      const key = await this.context.keys.rotate();
      await this.context.audit.record({ action: 'key.added', actor: frame.admin.id, subject: key.kid, ip: req.ip });
      await this.context.refreshKeys();
      return reply.redirect('/admin/keys?done=key', 303);
    });
  }

  @Post('keys/:kid/retire')
  retireKey(@Param('kid') kid: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdminPost(req, reply, async (frame) => {
      if (!(await this.context.keys.deactivate(kid))) throw new UserInputError('That key is signing or is not published.');
      await this.context.audit.record({ action: 'key.retired', actor: frame.admin.id, subject: kid, ip: req.ip });
      await this.context.refreshKeys();
      return reply.redirect('/admin/keys?done=retired', 303);
    });
  }

  @Get('audit')
  audit(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.asAdmin(req, reply, async (frame) => {
      const action = text(query['action'], 60);
      return sendPage(reply, 200, auditPage(frame, await this.context.audit.list(pageNumber(query['page']), PAGE_SIZE, action || undefined), action));
    });
  }

  private withNotice(frame: AdminFrame, query: Record<string, unknown>): AdminFrame {
    const notice = NOTICES[text(query['done'], 20)];
    return notice ? { ...frame, notice } : frame;
  }

  private asAdmin(req: FastifyRequest, reply: FastifyReply, render: (frame: AdminFrame) => Promise<FastifyReply>): Promise<FastifyReply> {
    return this.gate.asAdmin(req, reply, render);
  }

  private asAdminPost(req: FastifyRequest, reply: FastifyReply, act: (frame: AdminFrame, body: Record<string, unknown>) => Promise<FastifyReply>): Promise<FastifyReply> {
    return this.gate.asAdminPost(req, reply, act);
  }
}
