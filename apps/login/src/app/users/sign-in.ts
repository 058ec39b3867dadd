/**
 * Checks a sign-in attempt: lockouts (see LoginThrottle), the password, the active flag.
 * Known and unknown emails cost the same argon2 work, get the same answers and lock the same
 * way, so the form can't be used to find out who has an account.
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

export class SignIn {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
  ) {}

  /** A real hash to verify unknown emails against, so they cost the same work as known ones. */
  private async dummy(): Promise<string> {
    this.dummyHash ??= hashPassword('not a real password, for constant work');
    try {
      return await this.dummyHash;
    } catch (error) {
      this.dummyHash = undefined;
      throw error;
    }
  }

  async attempt(emailInput: string, password: string, ip: string): Promise<SignInResult> {
    const email = normalizeEmail(emailInput);
    const now = new Date();
    const subjects = this.throttle.subjectsFor(email, ip);
    const reservation = await this.throttle.reserve(subjects, now);
    if (reservation.lockedUntil) {
      await this.audit.record({ action: 'login.refused_locked', subject: email, ip, detail: { email, scope: reservation.lockedScope, until: reservation.lockedUntil.toISOString() } });
      return { ok: false, reason: 'locked', retryAt: reservation.lockedUntil };
    }
    const user = await this.prisma.user.findUnique({ where: { email } });
    const valid = await verifyPassword(user?.passwordHash ?? (await this.dummy()), password);
    if (!user || !valid) {
      await this.audit.record({ action: 'login.failure', subject: user?.id ?? email, ip, detail: { email } });
      const locked = await this.throttle.lockReached(subjects, reservation, now);
      if (!locked) return { ok: false, reason: 'invalid' };
      await this.audit.record({ action: 'login.lockout', subject: user?.id ?? email, ip, detail: { email, scope: locked.scope, until: locked.until.toISOString() } });
      return { ok: false, reason: 'locked', retryAt: locked.until };
    }
    await this.throttle.release(email, ip);
    if (!user.active) {
      await this.audit.record({ action: 'login.refused_inactive', subject: user.id, ip, detail: { email } });
      return { ok: false, reason: 'inactive' };
    }
    const signedIn = await this.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
    await this.audit.record({ action: 'login.success', actor: user.id, subject: user.id, ip, detail: { email } });
    return { ok: true, user: signedIn };
  }
}
