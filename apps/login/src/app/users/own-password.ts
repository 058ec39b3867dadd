/**
 * A user changing their own password on the account page: the current password is checked
 * (through the sign-in lockout, so the form can't be used to guess it), the new one must
 * differ, and every other browser and token of the user is signed out. The browser making the
 * change stays signed in: its session survives the deletion and its sign-in time moves past
 * the change, which `credentials_changed_at` would otherwise refuse.
 */
import type { PrismaClient, User } from '@orcest/db';
import type { AuditLog } from '../audit/audit-log';
import type { LoginThrottle } from './login-throttle';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';
import { revokeEverythingOf } from './revoke-sessions';
import { UserInputError } from './user-errors';

export type PasswordChangeResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'wrong_password' | 'locked'; readonly retryAt?: Date };

export class OwnPassword {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async change(user: User, current: string, next: string, keepSessionJti: string, ip: string): Promise<PasswordChangeResult> {
    const problem = passwordProblem(next);
    if (problem) throw new UserInputError(problem);
    if (next === current) throw new UserInputError('The new password must differ from the current one.');
    const now = this.clock();
    const subjects = this.throttle.subjectsFor(user.email, ip);
    const reservation = await this.throttle.reserve(subjects, now);
    if (reservation.lock) return { ok: false, reason: 'locked', retryAt: reservation.lock.until };
    if (!(await verifyPassword(user.passwordHash, current))) {
      await this.audit.record({ action: 'password.change_refused', actor: user.id, subject: user.id, ip });
      const [lock] = await this.throttle.lockReached(subjects, reservation, now);
      return lock ? { ok: false, reason: 'locked', retryAt: lock.until } : { ok: false, reason: 'wrong_password' };
    }
    await this.throttle.release(subjects);
    await this.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(next), credentialsChangedAt: now } });
    await revokeEverythingOf(this.prisma, user.id, keepSessionJti);
    // Whole seconds, rounded up: the cut-off compares the sign-in second with the change's.
    const loginTs = Math.ceil(now.getTime() / 1000);
    await this.prisma.$executeRaw`UPDATE oidc_model SET payload = jsonb_set(payload, '{loginTs}', to_jsonb(${loginTs}::int)) WHERE model = 'Session' AND id = ${keepSessionJti}`;
    await this.audit.record({ action: 'password.changed', actor: user.id, subject: user.id, ip, detail: { email: user.email } });
    return { ok: true };
  }
}
