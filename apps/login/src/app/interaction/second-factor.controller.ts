/**
 * The sign-in steps after the password (see sign-in-steps.ts): the code prompt, enrolment when
 * the user's role requires 2FA, and the recovery codes shown once before going on. Every POST
 * is CSRF-checked and must match the step the interaction is at.
 */
import { Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '@orcest/db';
import { field, formBody } from '../http/form-body';
import { sendPage } from '../http/security-headers';
import { LoginContext } from '../login-context';
import { messagePage } from '../pages/interaction-pages';
import { codesAtSignInPage, enrolAtSignInPage, secondFactorPage } from '../pages/two-factor-pages';
import type { CodeCheck } from '../totp/two-factor';
import { finishSignIn, pendingOf, setPending, type PendingStep } from './sign-in-steps';

type InteractionDetails = Awaited<ReturnType<LoginContext['oidc']['current']['interactionDetails']>>;

interface StepRequest {
  readonly details: InteractionDetails;
  readonly user: User;
  readonly csrf: string;
  readonly code: string;
}

function codeError(check: Exclude<CodeCheck, { ok: true }>): string {
  return check.reason === 'locked' ? `Too many wrong codes. Try again after ${check.retryAt.toISOString().slice(0, 19).replace('T', ' ')} UTC.` : 'That code is not valid. Check the time on your phone and try the newest code.';
}

@Controller('interaction')
export class SecondFactorController {
  constructor(@Inject(LoginContext) private readonly context: LoginContext) {}

  @Post(':uid/second-factor')
  secondFactor(@Param('uid') uid: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.atStep(uid, 'second-factor', req, reply, async ({ user, csrf, code }) => {
      const check = await this.context.twoFactor.check(user, code, req.ip);
      if (check.ok) return finishSignIn(this.context, req, reply, user, ['pwd', 'otp']);
      if (check.reason === 'locked') reply.header('retry-after', String(Math.max(1, Math.ceil((check.retryAt.getTime() - this.context.clock().getTime()) / 1000))));
      const clientName = await this.clientName(uid, req, reply);
      return sendPage(reply, check.reason === 'locked' ? 429 : 401, secondFactorPage({ uid, csrf, clientName, error: codeError(check) }));
    });
  }

  @Post(':uid/enrol')
  enrol(@Param('uid') uid: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.atStep(uid, 'enrol', req, reply, async ({ details, user, csrf, code }) => {
      const result = await this.context.twoFactor.confirmEnrolment(user, code, req.ip);
      if (!result.ok) {
        const pending = this.context.twoFactor.pending(user) ?? (await this.context.twoFactor.startEnrolment(user));
        return sendPage(reply, result.reason === 'locked' ? 429 : 401, enrolAtSignInPage(uid, csrf, pending, codeError(result)));
      }
      await setPending(details, { userId: user.id, step: 'codes' });
      return sendPage(reply, 200, codesAtSignInPage(uid, csrf, result.recoveryCodes));
    });
  }

  @Post(':uid/continue')
  continueAfterCodes(@Param('uid') uid: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.atStep(uid, 'codes', req, reply, ({ user }) => finishSignIn(this.context, req, reply, user, ['pwd', 'otp']));
  }

  private async atStep(uid: string, step: PendingStep, req: FastifyRequest, reply: FastifyReply, act: (r: StepRequest) => Promise<FastifyReply>): Promise<FastifyReply> {
    const body = formBody(req.body);
    if (!this.context.csrf.isValid(req, body['_csrf'])) {
      return sendPage(reply, 403, messagePage({ title: 'Form expired', message: 'This form could not be verified (missing or stale security token). Reload the page and try again.' }));
    }
    const details = await this.details(uid, req, reply);
    const pending = details ? pendingOf(details) : undefined;
    const user = pending?.step === step ? await this.context.users.findById(pending.userId) : undefined;
    if (!details || !user || !user.active) {
      return sendPage(reply, 400, messagePage({ title: 'Sign-in expired', message: 'This sign-in page is no longer valid. Go back to the app and start again.' }));
    }
    return act({ details, user, csrf: this.context.csrf.tokenFor(req, reply), code: field(body, 'code', 20) ?? '' });
  }

  private async details(uid: string, req: FastifyRequest, reply: FastifyReply): Promise<InteractionDetails | undefined> {
    try {
      const details = await this.context.oidc.current.interactionDetails(req.raw, reply.raw);
      return details.uid === uid && details.prompt.name === 'login' ? details : undefined;
    } catch {
      return undefined;
    }
  }

  private async clientName(uid: string, req: FastifyRequest, reply: FastifyReply): Promise<string> {
    const details = await this.details(uid, req, reply);
    const clientId = String(details?.params['client_id'] ?? '');
    return (await this.context.oidc.current.Client.find(clientId))?.clientName ?? clientId;
  }
}
