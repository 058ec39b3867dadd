/** `/account/totp/*`: turning two-factor sign-in on (QR code, confirmation, recovery codes) and off. */
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { field } from '../http/form-body';
import { html } from '../http/html';
import { sendPage } from '../http/security-headers';
import { LoginContext } from '../login-context';
import { accountPage } from '../pages/account/account-frame';
import { enrolmentPanel, recoveryCodesPanel } from '../pages/two-factor-pages';
import { AccountGate } from './account-gate';

@Controller('account/totp')
export class AccountTwoFactorController {
  private readonly gate: AccountGate;

  constructor(@Inject(LoginContext) private readonly context: LoginContext) {
    this.gate = new AccountGate(context);
  }

  @Post('enrol')
  enrol(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.post(req, reply, async ({ frame }) => {
      const enrolment = await this.context.twoFactor.startEnrolment(frame.user);
      return sendPage(reply, 200, accountPage('Set up two-factor sign-in', '/account/security', frame, html`<div class="card">${enrolmentPanel(enrolment, '/account/totp/confirm', frame.csrf)}</div>`));
    });
  }

  @Post('confirm')
  confirm(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.post(req, reply, async ({ frame }, body) => {
      const result = await this.context.twoFactor.confirmEnrolment(frame.user, field(body, 'code', 20) ?? '', req.ip);
      if (result.ok) {
        return sendPage(reply, 200, accountPage('Recovery codes', '/account/security', frame, html`<div class="card">${recoveryCodesPanel(result.recoveryCodes)}<p><a href="/account/security">Done</a></p></div>`));
      }
      const pending = this.context.twoFactor.pending(frame.user);
      const error = result.reason === 'locked' ? 'Too many wrong codes: try again later.' : 'That code is not valid. Check the time on your phone and try the newest code.';
      const body2 = pending ? html`<div class="card">${enrolmentPanel(pending, '/account/totp/confirm', frame.csrf, error)}</div>` : html`<p class="error">${error}</p>`;
      return sendPage(reply, result.reason === 'locked' ? 429 : 400, accountPage('Set up two-factor sign-in', '/account/security', frame, body2));
    });
  }

  @Post('disable')
  disable(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.post(req, reply, async ({ frame }, body) => {
      const result = await this.context.twoFactor.disable(frame.user, field(body, 'code', 20) ?? '', req.ip);
      if (result.ok) return reply.redirect('/account/security?done=totp_off', 303);
      const error = result.reason === 'locked' ? 'Too many wrong codes: try again later.' : 'That code is not valid: two-factor sign-in is still on.';
      return sendPage(reply, result.reason === 'locked' ? 429 : 400, accountPage('Two-factor sign-in', '/account/security', frame, html`<p class="error" role="alert">${error}</p><p><a href="/account/security">Back</a></p>`));
    });
  }
}
