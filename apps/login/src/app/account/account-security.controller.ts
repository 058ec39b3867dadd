/** `/account/security`, `/account/password`, `/account/sessions/*`: password change and signed-in browsers. */
import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { field } from '../http/form-body';
import { sendPage } from '../http/security-headers';
import { LoginContext } from '../login-context';
import type { AccountFrame } from '../pages/account/account-frame';
import { securityPage } from '../pages/account/security-page';
import { twoFactorSection } from '../pages/account/two-factor-section';
import { AccountGate, type AccountRequest } from './account-gate';

@Controller('account')
export class AccountSecurityController {
  private readonly gate: AccountGate;

  constructor(@Inject(LoginContext) private readonly context: LoginContext) {
    this.gate = new AccountGate(context);
  }

  @Get('security')
  show(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.page(req, reply, (r) => this.render(reply, 200, r));
  }

  @Post('password')
  changePassword(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.post(req, reply, async (r, body) => {
      const current = field(body, 'current_password', 512) ?? '';
      const next = field(body, 'new_password', 512) ?? '';
      const result = await this.context.ownPassword.change(r.frame.user, current, next, r.who.sessionJti, req.ip);
      if (result.ok) return reply.redirect('/account/security?done=password', 303);
      if (result.reason === 'locked' && result.retryAt) {
        reply.header('retry-after', String(Math.max(1, Math.ceil((result.retryAt.getTime() - Date.now()) / 1000))));
        return this.render(reply, 429, r, `Too many wrong passwords. Try again after ${result.retryAt.toISOString().slice(0, 19).replace('T', ' ')} UTC.`);
      }
      return this.render(reply, 400, r, 'The current password is wrong.');
    });
  }

  @Post('sessions/revoke-all')
  signOutEverywhere(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.post(req, reply, async ({ frame }) => {
      await this.context.sessions.signOutEverywhere(frame.user.id, req.ip);
      return reply.redirect('/account/signed-out', 303);
    });
  }

  @Post('sessions/:uid/revoke')
  signOut(@Param('uid') uid: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.post(req, reply, async ({ frame }) => {
      if (!(await this.context.sessions.signOut(frame.user.id, uid, req.ip))) return this.gate.notFound(reply);
      return reply.redirect('/account/security?done=session', 303);
    });
  }

  private async render(reply: FastifyReply, status: number, r: AccountRequest, error?: string): Promise<FastifyReply> {
    const frame: AccountFrame = error ? { ...r.frame, error } : r.frame;
    const sessions = await this.context.sessions.list(frame.user.id);
    const [required, left] = await Promise.all([this.context.twoFactor.roleRequires(frame.user.role), this.context.twoFactor.recoveryCodesLeft(frame.user.id)]);
    const twoFactor = twoFactorSection(frame, required, left);
    return sendPage(reply, status, securityPage(frame, { sessions, currentSessionUid: r.who.sessionUid, twoFactor }));
  }
}
