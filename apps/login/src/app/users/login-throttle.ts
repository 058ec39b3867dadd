/**
 * Brute-force lockout counters in PostgreSQL, shared by every replica. Each sign-in attempt
 * is counted on three subjects: the account from the client's address (`pair`), the address
 * (`ip`), and the account from every address together (`account`). Addresses are grouped
 * (IPv6 by /64, see address-group.ts). An attempt is *reserved* before the password is
 * checked — one atomic upsert per subject — so parallel guesses can't slip past a limit, and
 * released when it succeeds. A subject over its limit is locked for the lockout period.
 *
 * The pair limit is the low one: a guesser from one address locks only itself out of the
 * account, not its owner. The account-wide limit (higher) stops guessing spread over many
 * addresses. For that to hold, an attempt refused because a subject is locked counts against
 * none of them: the subjects are reserved most specific first and, at the first one found
 * locked, the reservations already made for the attempt are given back. Otherwise a guesser
 * whose own pair is locked would go on raising the account-wide counter until the owner is
 * locked out too, from everywhere, for as long as it keeps sending.
 *
 * Unknown emails are counted like known ones, so a lock says nothing about whether an
 * account exists.
 */
import type { PrismaClient } from '@orcest/db';
import { addressGroup } from './address-group';

export interface LockoutLimits {
  readonly ipMaxFailures: number;
  readonly accountMaxFailures: number;
  readonly accountAllIpsMaxFailures: number;
  readonly lockSeconds: number;
}

export type ThrottleScope = 'pair' | 'ip' | 'account';

export interface ThrottleSubject {
  readonly key: string;
  readonly max: number;
  readonly scope: ThrottleScope;
}

/** A lock in force on a subject. `started` is true for the one attempt that began it. */
export interface Lock {
  readonly scope: ThrottleScope;
  readonly key: string;
  readonly until: Date;
  readonly started: boolean;
}

export interface Reservation {
  /** Set when the attempt must be refused without checking the password. */
  readonly lock?: Lock;
  /** Counts after this attempt, per subject, for deciding whether its failure locks. */
  readonly counts: ReadonlyMap<string, number>;
}

export class LoginThrottle {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly limits: LockoutLimits,
  ) {}

  /** Most specific first: the order in which `reserve` counts them. */
  subjectsFor(email: string, ip: string): ThrottleSubject[] {
    const address = addressGroup(ip);
    return [
      { key: `pair:${email}|${address}`, max: this.limits.accountMaxFailures, scope: 'pair' },
      { key: `ip:${address}`, max: this.limits.ipMaxFailures, scope: 'ip' },
      { key: `account:${email}`, max: this.limits.accountAllIpsMaxFailures, scope: 'account' },
    ];
  }

  async reserve(subjects: readonly ThrottleSubject[], now = new Date()): Promise<Reservation> {
    const windowStart = new Date(now.getTime() - this.limits.lockSeconds * 1000);
    const counts = new Map<string, number>();
    const reserved: ThrottleSubject[] = [];
    for (const subject of subjects) {
      // A locked subject keeps its count: being refused is not another failure.
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
      let lock: Lock | undefined;
      if (row.locked_until && row.locked_until > now) lock = { scope: subject.scope, key: subject.key, until: row.locked_until, started: false };
      else if (row.failures > subject.max) lock = await this.lock(subject, now); // parallel attempts overshot the limit
      if (lock) {
        await this.giveBack(reserved);
        return { counts, lock };
      }
      counts.set(subject.key, row.failures);
      reserved.push(subject);
    }
    return { counts };
  }

  /**
   * After a failed password check: locks every subject whose reserved count reached its limit.
   * Returns the locks now in force on them (the latest first), each saying whether this
   * attempt started it.
   */
  async lockReached(subjects: readonly ThrottleSubject[], reservation: Reservation, now = new Date()): Promise<Lock[]> {
    const locks: Lock[] = [];
    for (const subject of subjects) {
      if ((reservation.counts.get(subject.key) ?? 0) < subject.max) continue;
      const lock = await this.lock(subject, now);
      if (lock) locks.push(lock);
    }
    return locks.sort((a, b) => b.until.getTime() - a.until.getTime());
  }

  /** After a successful sign-in: the account's counters start over; the address gets its attempt back. */
  async release(subjects: readonly ThrottleSubject[]): Promise<void> {
    const accountKeys = subjects.filter((s) => s.scope !== 'ip').map((s) => s.key);
    await this.prisma.loginThrottle.deleteMany({ where: { key: { in: accountKeys } } });
    await this.giveBack(subjects.filter((s) => s.scope === 'ip'));
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

  private async giveBack(subjects: readonly ThrottleSubject[]): Promise<void> {
    if (subjects.length === 0) return;
    const keys = subjects.map((s) => s.key);
    await this.prisma.$executeRaw`UPDATE login_throttle SET failures = GREATEST(failures - 1, 0) WHERE key = ANY(${keys})`;
  }

  /**
   * Locks the subject unless a lock is already in force; of parallel attempts that reach the
   * limit together exactly one starts the lock (and writes its audit row).
   */
  private async lock(subject: ThrottleSubject, now: Date): Promise<Lock | undefined> {
    const until = new Date(now.getTime() + this.limits.lockSeconds * 1000);
    // A fresh window after the lock: the subject gets a whole new allowance once it ends.
    const started = await this.prisma.$queryRaw<{ locked_until: Date }[]>`
      UPDATE login_throttle SET locked_until = ${until}, failures = 0, window_start = ${until}
      WHERE key = ${subject.key} AND (locked_until IS NULL OR locked_until <= ${now})
      RETURNING locked_until`;
    if (started.length > 0) return { scope: subject.scope, key: subject.key, until, started: true };
    const current = await this.prisma.loginThrottle.findUnique({ where: { key: subject.key } });
    return current?.lockedUntil && current.lockedUntil > now ? { scope: subject.scope, key: subject.key, until: current.lockedUntil, started: false } : undefined;
  }
}
