/**
 * Checks a sign-in attempt: lockouts (see LoginThrottle), the password, the active flag.
 * Known and unknown emails cost the same argon2 work, get the same answers and lock the same
 * way, so the form can't be used to find out who has an account.
 *
 * Audit rows: one per checked password (failure or success) and one per lock when it starts.
 * An attempt refused because a lock is in force writes nothing: a guesser sending thousands
 * of them must not be able to fill the audit log.
 */
import type { PrismaClient, User } from '@orcest/db';
import { normalizeEmail } from '@orcest/db';
import type { AuditLog } from '../audit/audit-log';
import type { Lock, LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './passwords';

export type SignInResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly reason: 'invalid' }
  | { readonly ok: false; readonly reason: 'locked'; readonly retryAt: Date }
  | { readonly ok: false; readonly reason: 'inactive' };

/** Where an attempt came from, as the audit log records it. */
export interface SignInClient {
  readonly ip: string;
  readonly userAgent?: string;
}

const USER_AGENT_MAX = 300;

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

  async attempt(emailInput: string, password: string, client: SignInClient): Promise<SignInResult> {
    const email = normalizeEmail(emailInput);
    const { ip } = client;
    const userAgent = client.userAgent?.slice(0, USER_AGENT_MAX);
    const now = new Date();
    const subjects = this.throttle.subjectsFor(email, ip);
    const reservation = await this.throttle.reserve(subjects, now);
    if (reservation.lock) {
      if (reservation.lock.started) await this.recordLock(reservation.lock, email, client);
      return { ok: false, reason: 'locked', retryAt: reservation.lock.until };
    }
    const user = await this.prisma.user.findUnique({ where: { email } });
    const valid = await verifyPassword(user?.passwordHash ?? (await this.dummy()), password);
    if (!user || !valid) {
      await this.audit.record({ action: 'login.failure', subject: user?.id ?? email, ip, detail: { email, userAgent } });
      const locks = await this.throttle.lockReached(subjects, reservation, now);
      for (const lock of locks) if (lock.started) await this.recordLock(lock, email, client, user);
      const latest = locks[0];
      return latest ? { ok: false, reason: 'locked', retryAt: latest.until } : { ok: false, reason: 'invalid' };
    }
    await this.throttle.release(subjects);
    if (!user.active) {
      await this.audit.record({ action: 'login.refused_inactive', subject: user.id, ip, detail: { email, userAgent } });
      return { ok: false, reason: 'inactive' };
    }
    const signedIn = await this.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
    await this.audit.record({ action: 'login.success', actor: user.id, subject: user.id, ip, detail: { email, userAgent } });
    return { ok: true, user: signedIn };
  }

  /** The one audit row of a lock, written by the attempt that started it. */
  private async recordLock(lock: Lock, email: string, client: SignInClient, known?: User | null): Promise<void> {
    const user = known ?? (lock.scope === 'ip' ? undefined : await this.prisma.user.findUnique({ where: { email } }));
    const subject = lock.scope === 'ip' ? lock.key.slice('ip:'.length) : (user?.id ?? email);
    await this.audit.record({
      action: 'login.lockout',
      subject,
      ip: client.ip,
      detail: { email, scope: lock.scope, until: lock.until.toISOString(), userAgent: client.userAgent?.slice(0, USER_AGENT_MAX) },
    });
  }
}
