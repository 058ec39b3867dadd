/**
 * The steps of a sign-in after the password: none (signed in), a second factor (2FA is on), or
 * enrolment (the user's role requires 2FA and they have none yet, then their recovery codes).
 * Between steps the user who passed the password is kept in the provider's interaction (shared
 * by replicas, bound to this browser by the interaction cookie, gone when it expires); it is
 * not a `login` result, so resuming the authorization early only shows the sign-in page again.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '@orcest/db';
import type { LoginContext } from '../login-context';

export type PendingStep = 'second-factor' | 'enrol' | 'codes';

type InteractionDetails = Awaited<ReturnType<LoginContext['oidc']['current']['interactionDetails']>>;

interface PendingSignIn {
  readonly userId: string;
  readonly step: PendingStep;
}

const KEY = 'orcest_pending';

export function pendingOf(details: InteractionDetails): PendingSignIn | undefined {
  const value = (details.result as Record<string, unknown> | undefined)?.[KEY] as Partial<PendingSignIn> | undefined;
  return typeof value?.userId === 'string' && (value.step === 'second-factor' || value.step === 'enrol' || value.step === 'codes') ? { userId: value.userId, step: value.step } : undefined;
}

export async function setPending(details: InteractionDetails, pending: PendingSignIn): Promise<void> {
  details.result = { [KEY]: pending };
  const ttl = Math.max(1, (details.exp ?? 0) - Math.floor(Date.now() / 1000));
  await details.save(ttl);
}

/** Which step follows the password for this user. */
export async function stepAfterPassword(context: LoginContext, user: User): Promise<PendingStep | undefined> {
  if (context.twoFactor.isOn(user)) return 'second-factor';
  if (await context.twoFactor.roleRequires(user.role)) return 'enrol';
  return undefined;
}

/** Ends the sign-in: the provider records the login and sends the browser on. */
export async function finishSignIn(context: LoginContext, req: FastifyRequest, reply: FastifyReply, user: User, amr: string[]): Promise<FastifyReply> {
  const returnTo = await context.oidc.current.interactionResult(req.raw, reply.raw, { login: { accountId: user.id, amr } }, { mergeWithLastSubmission: false });
  return reply.redirect(returnTo, 303);
}
