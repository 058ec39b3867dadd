/**
 * Leader election over the `leases` table: one replica holds the checker lease and checks;
 * the others keep trying. Acquire and renew are one atomic upsert that succeeds only when the
 * lease is free, expired, or already ours; expiry uses the database's clock, so replicas with
 * skewed clocks agree. A holder that dies stops renewing and another takes over after the TTL.
 */
import type { PrismaClient } from '@orcest/db';

export class Lease {
  constructor(
    private readonly prisma: PrismaClient,
    readonly name: string,
    readonly holder: string,
    readonly ttlMs: number,
  ) {}

  /** True when this replica holds the lease for the next `ttlMs`. */
  async acquireOrRenew(): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<{ holder: string }[]>(
      `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE leases.holder = EXCLUDED.holder OR leases.expires_at < now()
       RETURNING holder`,
      this.name,
      this.holder,
      this.ttlMs,
    );
    return rows.length === 1 && rows[0].holder === this.holder;
  }

  /** Gives the lease up at once (clean shutdown), so another replica need not wait for the TTL. */
  async release(): Promise<void> {
    await this.prisma.$executeRawUnsafe(`DELETE FROM leases WHERE name = $1 AND holder = $2`, this.name, this.holder);
  }

  async currentHolder(): Promise<string | null> {
    const rows = await this.prisma.$queryRawUnsafe<{ holder: string }[]>(`SELECT holder FROM leases WHERE name = $1 AND expires_at > now()`, this.name);
    return rows[0]?.holder ?? null;
  }
}
