/**
 * Two-factor sign-in for a user: enrolment (a pending secret, confirmed with a code, which
 * turns it on and issues recovery codes), the check at sign-in (a TOTP code or a recovery
 * code), turning it off with a code, an admin's reset, and which roles require it.
 *
 * Code checks go through the lockout table on their own subject (`totp:<user id>`), so six
 * digits can't be brute-forced: after `MAX_CODE_FAILURES` wrong codes in the lockout window the
 * user's second factor is locked for the lockout period. A TOTP step is accepted once: the
 * update that records it only matches while the stored step is older, so two parallel uses of
 * one code can't both pass.
 */
import type { PrismaClient, Role, User } from '@orcest/db';
import type { AuditLog } from '../audit/audit-log';
import type { LoginThrottle, ThrottleSubject } from '../users/login-throttle';
import { UserInputError } from '../users/user-errors';
import { recoveryCodesLeft, replaceRecoveryCodes, spendRecoveryCode } from './recovery-codes';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp';

export const MAX_CODE_FAILURES = 5;
export const TOTP_ISSUER = 'Orcest';

export type CodeCheck = { readonly ok: true; readonly method: 'totp' | 'recovery' } | { readonly ok: false; readonly reason: 'wrong' } | { readonly ok: false; readonly reason: 'locked'; readonly retryAt: Date };

export interface Enrolment {
  readonly secret: string;
  readonly uri: string;
}

export class TwoFactor {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
    private readonly clock: () => Date,
  ) {}

  isOn(user: User): boolean {
    return user.totpEnabledAt !== null && user.totpSecret !== null;
  }

  async roleRequires(role: Role): Promise<boolean> {
    return (await this.prisma.roleSetting.findUnique({ where: { role } }))?.requireTotp ?? false;
  }

  async requiredRoles(): Promise<Set<Role>> {
    return new Set((await this.prisma.roleSetting.findMany({ where: { requireTotp: true } })).map((r) => r.role));
  }

  async setRoleRequirement(role: Role, required: boolean, actor: string): Promise<void> {
    await this.prisma.roleSetting.upsert({ where: { role }, create: { role, requireTotp: required }, update: { requireTotp: required } });
    await this.audit.record({ action: 'totp.role_requirement', actor, subject: role, detail: { required } });
  }

  recoveryCodesLeft(userId: string): Promise<number> {
    return recoveryCodesLeft(this.prisma, userId);
  }

  /** A new pending secret (replacing any earlier pending one); refused while 2FA is on. */
  async startEnrolment(user: User): Promise<Enrolment> {
    if (this.isOn(user)) throw new UserInputError('Two-factor sign-in is already on.');
    const secret = newTotpSecret();
    await this.prisma.user.update({ where: { id: user.id }, data: { totpSecret: secret, totpEnabledAt: null, totpLastStep: null } });
    return { secret, uri: otpauthUri(TOTP_ISSUER, user.email, secret) };
  }

  /** The pending enrolment of the user, to show again after a wrong code. */
  pending(user: User): Enrolment | undefined {
    return user.totpSecret && !user.totpEnabledAt ? { secret: user.totpSecret, uri: otpauthUri(TOTP_ISSUER, user.email, user.totpSecret) } : undefined;
  }

  /** Turns 2FA on when `code` matches the pending secret; returns the recovery codes to show once. */
  async confirmEnrolment(user: User, code: string, ip: string): Promise<{ ok: true; recoveryCodes: string[] } | Exclude<CodeCheck, { ok: true }>> {
    const pending = this.pending(user);
    if (!pending) throw new UserInputError('Start the set-up again: there is no pending two-factor secret.');
    const check = await this.throttled(user, ip, async (now) => {
      const step = verifyTotp(pending.secret, code, now, null);
      return step !== undefined && (await this.acceptStep(user.id, step)) ? 'totp' : undefined;
    });
    if (!check.ok) return check;
    const recoveryCodes = await this.prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { totpEnabledAt: this.clock() } });
      return replaceRecoveryCodes(tx, user.id);
    });
    await this.audit.record({ action: 'totp.enabled', actor: user.id, subject: user.id, ip });
    return { ok: true, recoveryCodes };
  }

  /** The second step of a sign-in: a current TOTP code or an unused recovery code. */
  async check(user: User, code: string, ip: string): Promise<CodeCheck> {
    const secret = user.totpSecret;
    if (!this.isOn(user) || !secret) return { ok: false, reason: 'wrong' };
    const result = await this.throttled(user, ip, async (now) => {
      const step = verifyTotp(secret, code, now, user.totpLastStep);
      if (step !== undefined && (await this.acceptStep(user.id, step))) return 'totp';
      return (await spendRecoveryCode(this.prisma, user.id, code, now)) ? 'recovery' : undefined;
    });
    await this.audit.record({ action: result.ok ? `totp.${result.method}_accepted` : `totp.${result.reason}`, actor: user.id, subject: user.id, ip });
    return result;
  }

  /** Turns 2FA off after a valid code; refused while the user's role requires it. */
  async disable(user: User, code: string, ip: string): Promise<CodeCheck> {
    if (await this.roleRequires(user.role)) throw new UserInputError('Your role requires two-factor sign-in; an administrator can reset it.');
    const result = await this.check(user, code, ip);
    if (result.ok) await this.clear(user.id, user.id, 'totp.disabled', ip);
    return result;
  }

  /** An admin clears a user's 2FA (a lost phone and lost codes); the user enrols again. */
  async reset(userId: string, actor: string, ip: string): Promise<void> {
    await this.clear(userId, actor, 'totp.reset', ip);
  }

  private async clear(userId: string, actor: string, action: string, ip: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } }),
      this.prisma.recoveryCode.deleteMany({ where: { userId } }),
    ]);
    await this.audit.record({ action, actor, subject: userId, ip });
  }

  /** Records `step` as used; false when it (or a later one) already was. */
  private async acceptStep(userId: string, step: number): Promise<boolean> {
    const updated = await this.prisma.$executeRaw`UPDATE users SET totp_last_step = ${step} WHERE id = ${userId}::uuid AND (totp_last_step IS NULL OR totp_last_step < ${step})`;
    return updated > 0;
  }

  private async throttled(user: User, ip: string, verify: (now: Date) => Promise<'totp' | 'recovery' | undefined>): Promise<CodeCheck> {
    const now = this.clock();
    const subjects: ThrottleSubject[] = [{ key: `totp:${user.id}`, max: MAX_CODE_FAILURES, scope: 'account' }];
    const reservation = await this.throttle.reserve(subjects, now);
    if (reservation.lock) return { ok: false, reason: 'locked', retryAt: reservation.lock.until };
    const method = await verify(now);
    if (method) {
      await this.throttle.release(subjects);
      return { ok: true, method };
    }
    const [lock] = await this.throttle.lockReached(subjects, reservation, now);
    if (lock?.started) await this.audit.record({ action: 'totp.lockout', subject: user.id, ip, detail: { until: lock.until.toISOString() } });
    return lock ? { ok: false, reason: 'locked', retryAt: lock.until } : { ok: false, reason: 'wrong' };
  }
}
