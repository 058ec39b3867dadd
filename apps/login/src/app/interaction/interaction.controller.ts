/**
 * The pages oidc-provider sends users to during a flow (`/interaction/:uid`): sign-in, consent
 * (skipped for first-party clients), refusal when the user's role lacks the client's service,
 * and cancel. Every POST is CSRF-checked; results go back to the provider, which redirects.
 */
import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '@orcest/db';
import { LoginContext } from '../login-context';
import { field, formBody } from '../http/form-body';
import { sendPage } from '../http/security-headers';
import { isFirstParty, serviceOfClient, userMayUse } from '../oidc/accounts';
import { consentPage, messagePage, refusedPage, signInPage } from '../pages/interaction-pages';
import { enrolAtSignInPage, secondFactorPage } from '../pages/two-factor-pages';
import { finishSignIn, setPending, stepAfterPassword } from './sign-in-steps';

type InteractionDetails = Awaited<ReturnType<LoginContext['oidc']['current']['interactionDetails']>>;

@Controller('interaction')
export class InteractionController {
  constructor(@Inject(LoginContext) private readonly context: LoginContext) {}

  @Get(':uid')
  async show(@Param('uid') uid: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const details = await this.details(uid, req, reply);
    if (!details) return this.expired(reply);
    const csrf = this.context.csrf.tokenFor(req, reply);
    const client = await this.context.oidc.current.Client.find(String(details.params['client_id']));
    const clientName = client?.clientName ?? String(details.params['client_id']);
    if (details.prompt.name === 'login') return sendPage(reply, 200, signInPage({ uid, csrf, clientName }));
    const user = await this.sessionUser(details);
    if (!user) return this.expired(reply);
    const service = serviceOfClient(client);
    if (!userMayUse(user, service)) return this.refuse(uid, csrf, clientName, user, service ?? '', req, reply);
    if (isFirstParty(client)) return this.grantConsent(details, req, reply);
    return sendPage(reply, 200, consentPage({ uid, csrf, clientName, email: user.email, scopes: String(details.params['scope'] ?? '').split(' ') }));
  }

  @Post(':uid/login')
  async login(@Param('uid') uid: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const body = formBody(req.body);
    if (!this.context.csrf.isValid(req, body['_csrf'])) return this.csrfFailed(reply);
    const details = await this.details(uid, req, reply);
    if (!details || details.prompt.name !== 'login') return this.expired(reply);
    const csrf = this.context.csrf.tokenFor(req, reply);
    const client = await this.context.oidc.current.Client.find(String(details.params['client_id']));
    const clientName = client?.clientName ?? String(details.params['client_id']);
    const email = field(body, 'email', 254) ?? '';
    const password = field(body, 'password', 512) ?? '';
    if (!email || !password) return sendPage(reply, 400, signInPage({ uid, csrf, clientName, email, error: 'Enter your email and password.' }));
    const result = await this.context.signIn.attempt(email, password, { ip: req.ip, userAgent: req.headers['user-agent'] });
    if (!result.ok) {
      if (result.reason === 'locked') {
        const seconds = Math.max(1, Math.ceil((result.retryAt.getTime() - Date.now()) / 1000));
        reply.header('retry-after', String(seconds));
        const error = `Too many failed sign-ins. Try again after ${result.retryAt.toISOString().replace('T', ' ').slice(0, 19)} UTC (in ${Math.ceil(seconds / 60)} min).`;
        return sendPage(reply, 429, signInPage({ uid, csrf, clientName, email, error }));
      }
      const error = result.reason === 'inactive' ? 'This account is deactivated. Ask an administrator.' : 'Wrong email or password.';
      return sendPage(reply, result.reason === 'inactive' ? 403 : 401, signInPage({ uid, csrf, clientName, email, error }));
    }
    const service = serviceOfClient(client);
    if (!userMayUse(result.user, service)) return this.refuse(uid, csrf, clientName, result.user, service ?? '', req, reply);
    const next = await stepAfterPassword(this.context, result.user);
    if (!next) return finishSignIn(this.context, req, reply, result.user, ['pwd']);
    await setPending(details, { userId: result.user.id, step: next });
    if (next === 'second-factor') return sendPage(reply, 200, secondFactorPage({ uid, csrf, clientName }));
    return sendPage(reply, 200, enrolAtSignInPage(uid, csrf, await this.context.twoFactor.startEnrolment(result.user)));
  }

  @Post(':uid/confirm')
  async confirm(@Param('uid') uid: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    if (!this.context.csrf.isValid(req, formBody(req.body)['_csrf'])) return this.csrfFailed(reply);
    const details = await this.details(uid, req, reply);
    if (!details || details.prompt.name !== 'consent') return this.expired(reply);
    const user = await this.sessionUser(details);
    const client = await this.context.oidc.current.Client.find(String(details.params['client_id']));
    const service = serviceOfClient(client);
    if (!user || !userMayUse(user, service)) return this.expired(reply);
    return this.grantConsent(details, req, reply);
  }

  @Post(':uid/abort')
  async abort(@Param('uid') uid: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    if (!this.context.csrf.isValid(req, formBody(req.body)['_csrf'])) return this.csrfFailed(reply);
    const details = await this.details(uid, req, reply);
    if (!details) return this.expired(reply);
    const returnTo = await this.context.oidc.current.interactionResult(
      req.raw,
      reply.raw,
      { error: 'access_denied', error_description: 'the user cancelled or was refused' },
      { mergeWithLastSubmission: false },
    );
    return reply.redirect(returnTo, 303);
  }

  /** Records consent for what the client asked (first-party clients come straight here). */
  private async grantConsent(details: InteractionDetails, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const provider = this.context.oidc.current;
    const accountId = details.session?.accountId as string;
    const clientId = String(details.params['client_id']);
    const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(req.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return reply.redirect(returnTo, 303);
  }

  private async refuse(
    uid: string,
    csrf: string,
    clientName: string,
    user: User,
    service: string,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    await this.context.audit.record({ action: 'login.refused_role', subject: user.id, ip: req.ip, detail: { email: user.email, role: user.role, service } });
    return sendPage(reply, 403, user.active ? refusedPage(uid, csrf, clientName, user.role, service) : messagePage({ title: 'Account deactivated', message: 'This account is deactivated. Ask an administrator.' }));
  }

  /** The interaction for this browser, if it is the one in the URL and still alive. */
  private async details(uid: string, req: FastifyRequest, reply: FastifyReply): Promise<InteractionDetails | undefined> {
    try {
      const details = await this.context.oidc.current.interactionDetails(req.raw, reply.raw);
      return details.uid === uid ? details : undefined;
    } catch {
      return undefined;
    }
  }

  private async sessionUser(details: InteractionDetails): Promise<User | undefined> {
    const accountId = details.session?.accountId;
    return typeof accountId === 'string' ? this.context.users.findById(accountId) : undefined;
  }

  private expired(reply: FastifyReply): FastifyReply {
    return sendPage(
      reply,
      400,
      messagePage({ title: 'Sign-in expired', message: 'This sign-in page is no longer valid (it expired, or was opened in another browser). Go back to the app and start again.' }),
    );
  }

  private csrfFailed(reply: FastifyReply): FastifyReply {
    return sendPage(reply, 403, messagePage({ title: 'Form expired', message: 'This form could not be verified (missing or stale security token). Reload the page and try again.' }));
  }
}
