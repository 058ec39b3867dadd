/**
 * Per-IP brute-force lockout: failures are counted per client IP in a window as long as the
 * lockout period; at the limit the IP is refused until the lock ends. Counting is one atomic
 * statement, so replicas behind a load balancer share one count.
 */
import type { PrismaClient } from '@orcest/db';

export class LoginThrottle {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxFailures: number,
    private readonly lockSeconds: number,
  ) {}

  /** When the IP is locked, the instant it may try again. */
  async lockedUntil(ip: string, now = new Date()): Promise<Date | undefined> {
    const row = await this.prisma.loginThrottle.findUnique({ where: { ip } });
    return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : undefined;
  }

  /** Counts one failure; returns the lock's end when this failure locked the IP. */
  async recordFailure(ip: string, now = new Date()): Promise<Date | undefined> {
    const windowStart = new Date(now.getTime() - this.lockSeconds * 1000);
    const rows = await this.prisma.$queryRaw<{ failures: number }[]>`
      INSERT INTO login_throttle (ip, failures, window_start) VALUES (${ip}, 1, ${now})
      ON CONFLICT (ip) DO UPDATE SET
        failures = CASE WHEN login_throttle.window_start < ${windowStart} THEN 1 ELSE login_throttle.failures + 1 END,
        window_start = CASE WHEN login_throttle.window_start < ${windowStart} THEN ${now} ELSE login_throttle.window_start END
      RETURNING failures`;
    if ((rows[0]?.failures ?? 0) < this.maxFailures) return undefined;
    const until = new Date(now.getTime() + this.lockSeconds * 1000);
    // A fresh window after the lock: the IP gets a whole new allowance once it ends.
    await this.prisma.loginThrottle.update({ where: { ip }, data: { lockedUntil: until, failures: 0, windowStart: until } });
    return until;
  }
}
