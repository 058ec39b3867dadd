/**
 * Checks a sign-in attempt: per-IP and per-account lockouts, the password, the active flag.
 * An unknown email costs the same argon2 work as a known one, and says the same thing, so the
 * form can't be used to find out who has an account.
 */
import type { PrismaClient, User } from '@orcest/db';
import { normalizeEmail } from '@orcest/db';
import type { AuditLog } from '../audit/audit-log';
import type { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './passwords';

export type SignInResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly reason: 'invalid' }
  | { readonly ok: false; readonly reason: 'locked'; readonly retryAt: Date }
  | { readonly ok: false; readonly reason: 'inactive' };

export interface AccountLockout {
  readonly maxFailures: number;
  readonly lockSeconds: number;
}

export class SignIn {
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
    private readonly lockout: AccountLockout,
  ) {
    this.dummyHash = hashPassword('not a real password, for constant work');
  }

  async attempt(emailInput: string, password: string, ip: string): Promise<SignInResult> {
    const email = normalizeEmail(emailInput);
    const now = new Date();
    const ipLock = await this.throttle.lockedUntil(ip, now);
    if (ipLock) {
      await this.audit.record({ action: 'login.refused_locked', subject: email, ip, detail: { scope: 'ip', until: ipLock.toISOString() } });
      return { ok: false, reason: 'locked', retryAt: ipLock };
    }
    const user = await this.prisma.user.findUnique({ where: { email } });
    if (user?.lockedUntil && user.lockedUntil > now) {
      await this.audit.record({ action: 'login.refused_locked', subject: user.id, ip, detail: { scope: 'account', email, until: user.lockedUntil.toISOString() } });
      return { ok: false, reason: 'locked', retryAt: user.lockedUntil };
    }
    const valid = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !valid) return this.fail(email, user ?? undefined, ip, now);
    if (!user.active) {
      await this.audit.record({ action: 'login.refused_inactive', subject: user.id, ip, detail: { email } });
      return { ok: false, reason: 'inactive' };
    }
    const signedIn = await this.prisma.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now } });
    await this.audit.record({ action: 'login.success', actor: user.id, subject: user.id, ip, detail: { email } });
    return { ok: true, user: signedIn };
  }

  private async fail(email: string, user: User | undefined, ip: string, now: Date): Promise<SignInResult> {
    await this.audit.record({ action: 'login.failure', subject: user?.id ?? email, ip, detail: { email } });
    const ipLockedUntil = await this.throttle.recordFailure(ip, now);
    if (ipLockedUntil) await this.audit.record({ action: 'login.lockout', subject: ip, ip, detail: { scope: 'ip', until: ipLockedUntil.toISOString() } });
    let accountLockedUntil: Date | undefined;
    if (user) {
      const { failedLogins } = await this.prisma.user.update({ where: { id: user.id }, data: { failedLogins: { increment: 1 } } });
      if (failedLogins >= this.lockout.maxFailures) {
        accountLockedUntil = new Date(now.getTime() + this.lockout.lockSeconds * 1000);
        await this.prisma.user.update({ where: { id: user.id }, data: { lockedUntil: accountLockedUntil, failedLogins: 0 } });
        await this.audit.record({ action: 'login.lockout', subject: user.id, ip, detail: { scope: 'account', email, until: accountLockedUntil.toISOString() } });
      }
    }
    const retryAt = accountLockedUntil ?? ipLockedUntil;
    return retryAt ? { ok: false, reason: 'locked', retryAt } : { ok: false, reason: 'invalid' };
  }
}
