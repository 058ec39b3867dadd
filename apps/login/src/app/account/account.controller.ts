/**
 * `/account`: the overview page and the sign-in round trip of the account pages (internal
 * client `login-account`, open to every active user whatever their role).
 */
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../http/html';
import { sendPage } from '../http/security-headers';
import { LoginContext } from '../login-context';
import { overviewPage } from '../pages/account/overview-page';
import { messagePage } from '../pages/interaction-pages';
import { monthToDate } from '../usage/usage-report';
import { AccountGate } from './account-gate';

@Controller('account')
export class AccountController {
  private readonly gate: AccountGate;

  constructor(@Inject(LoginContext) private readonly context: LoginContext) {
    this.gate = new AccountGate(context);
  }

  @Get()
  overview(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.page(req, reply, async ({ frame }) => {
      const now = this.context.clock();
      const month = await this.context.usage.totals(frame.user.id, monthToDate(now));
      const activeKeys = await this.context.prisma.apiKey.count({ where: { userId: frame.user.id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
      return sendPage(reply, 200, overviewPage(frame, month, activeKeys));
    });
  }

  @Get('callback')
  async callback(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    if (typeof query['error'] === 'string') {
      return sendPage(reply, 403, messagePage({ title: 'Not signed in', message: 'Signing in to your account was cancelled or refused.', detail: query['error'].slice(0, 200) }));
    }
    const returnTo = await this.gate.session.finishSignIn(req, reply, query);
    if (!returnTo) return sendPage(reply, 400, messagePage({ title: 'Sign-in expired', message: 'This sign-in could not be verified. Open /account and try again.' }));
    return reply.redirect(returnTo, 303);
  }

  @Get('signed-out')
  signedOut(@Res() reply: FastifyReply): FastifyReply {
    return sendPage(reply, 200, messagePage({ title: 'Signed out', message: 'You are signed out.', action: html`<p><a href="/account">Sign in again</a></p>` }));
  }
}
