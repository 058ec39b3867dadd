/**
 * Brute-force lockout counters in PostgreSQL, shared by every replica. Each sign-in attempt
 * is counted on three subjects: the client IP, the account from that IP (`pair`), and the
 * account from every IP together. An attempt is *reserved* before the password is checked —
 * one atomic upsert per subject — so parallel guesses can't slip past the limit, and released
 * when it succeeds. A subject over its limit is locked for the lockout period.
 *
 * The pair limit is the low one: a guesser from one address locks only itself out of the
 * account, not its owner. The account-wide limit (higher) stops guessing spread over many
 * addresses. Unknown emails are counted like known ones, so a lock says nothing about
 * whether an account exists.
 */
import type { PrismaClient } from '@orcest/db';

export interface LockoutLimits {
  readonly ipMaxFailures: number;
  readonly accountMaxFailures: number;
  readonly accountAllIpsMaxFailures: number;
  readonly lockSeconds: number;
}

export interface ThrottleSubject {
  readonly key: string;
  readonly max: number;
  readonly scope: 'ip' | 'account' | 'pair';
}

export interface Reservation {
  /** Set when the attempt must be refused without checking the password. */
  readonly lockedUntil?: Date;
  readonly lockedScope?: ThrottleSubject['scope'];
  /** Counts after this attempt, per subject, for deciding whether its failure locks. */
  readonly counts: ReadonlyMap<string, number>;
}

export class LoginThrottle {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly limits: LockoutLimits,
  ) {}

  subjectsFor(email: string, ip: string): ThrottleSubject[] {
    return [
      { key: `ip:${ip}`, max: this.limits.ipMaxFailures, scope: 'ip' },
      { key: `pair:${email}|${ip}`, max: this.limits.accountMaxFailures, scope: 'pair' },
      { key: `account:${email}`, max: this.limits.accountAllIpsMaxFailures, scope: 'account' },
    ];
  }

  async reserve(subjects: readonly ThrottleSubject[], now = new Date()): Promise<Reservation> {
    const windowStart = new Date(now.getTime() - this.limits.lockSeconds * 1000);
    const counts = new Map<string, number>();
    let locked: { until: Date; scope: ThrottleSubject['scope'] } | undefined;
    for (const subject of subjects) {
      const [row] = await this.prisma.$queryRaw<{ failures: number; locked_until: Date | null }[]>`
        INSERT INTO login_throttle (key, failures, window_start) VALUES (${subject.key}, 1, ${now})
        ON CONFLICT (key) DO UPDATE SET
          failures = CASE WHEN login_throttle.locked_until > ${now} THEN login_throttle.failures
                          WHEN login_throttle.window_start < ${windowStart} THEN 1
                          ELSE login_throttle.failures + 1 END,
          window_start = CASE WHEN login_throttle.locked_until > ${now} THEN login_throttle.window_start
                              WHEN login_throttle.window_start < ${windowStart} THEN ${now}
                              ELSE login_throttle.window_start END
        RETURNING failures, locked_until`;
      counts.set(subject.key, row.failures);
      if (row.locked_until && row.locked_until > now) locked = laterLock(locked, row.locked_until, subject.scope);
      else if (row.failures > subject.max) locked = laterLock(locked, await this.lock(subject.key, now), subject.scope);
    }
    return { counts, lockedUntil: locked?.until, lockedScope: locked?.scope };
  }

  /** After a failed password check: locks every subject whose reserved count reached its limit. */
  async lockReached(subjects: readonly ThrottleSubject[], reservation: Reservation, now = new Date()): Promise<{ until: Date; scope: ThrottleSubject['scope'] } | undefined> {
    let locked: { until: Date; scope: ThrottleSubject['scope'] } | undefined;
    for (const subject of subjects) {
      if ((reservation.counts.get(subject.key) ?? 0) >= subject.max) locked = laterLock(locked, await this.lock(subject.key, now), subject.scope);
    }
    return locked;
  }

  /** After a successful sign-in: the account's counters start over; the IP gets its attempt back. */
  async release(email: string, ip: string): Promise<void> {
    await this.prisma.loginThrottle.deleteMany({ where: { key: { in: [`account:${email}`, `pair:${email}|${ip}`] } } });
    await this.prisma.$executeRaw`UPDATE login_throttle SET failures = GREATEST(failures - 1, 0) WHERE key = ${`ip:${ip}`}`;
  }

  /** Lifts every lock and count of an account (an admin reset it or reactivated it). */
  async clearAccount(email: string): Promise<void> {
    await this.prisma.loginThrottle.deleteMany({ where: { OR: [{ key: `account:${email}` }, { key: { startsWith: `pair:${email}|` } }] } });
  }

  /** Rows whose window and lock are both over carry no information: delete them. */
  async prune(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.limits.lockSeconds * 1000);
    const { count } = await this.prisma.loginThrottle.deleteMany({ where: { windowStart: { lt: cutoff }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] } });
    return count;
  }

  private async lock(key: string, now: Date): Promise<Date> {
    const until = new Date(now.getTime() + this.limits.lockSeconds * 1000);
    // A fresh window after the lock: the subject gets a whole new allowance once it ends.
    await this.prisma.loginThrottle.update({ where: { key }, data: { lockedUntil: until, failures: 0, windowStart: until } });
    return until;
  }
}

function laterLock(
  current: { until: Date; scope: ThrottleSubject['scope'] } | undefined,
  until: Date,
  scope: ThrottleSubject['scope'],
): { until: Date; scope: ThrottleSubject['scope'] } {
  return current && current.until >= until ? current : { until, scope };
}
