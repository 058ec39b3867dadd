/**
 * The API keys the gateway accepts, held in memory and reloaded from PostgreSQL every few
 * seconds, so a request never waits on the database: a key created in the login panel works,
 * and a revoked key (or its user deactivated, or moved to a role without `rm`) stops working,
 * within one reload interval. Lookup is by the key's SHA-256 (hex, as `hashApiKey` stores it).
 * A key with an expiry stops at that instant: the lookup compares it with the clock, so an
 * expiry never waits for the next reload.
 */
import { isRole, roleGrantsService } from '@orcest/auth';
import type { PrismaClient } from '@orcest/db';
import type { LimitedKey } from '../limits/rate-limiter';

export interface ApiKeyPrincipal extends LimitedKey {
  readonly userId: string;
  /** Epoch milliseconds after which the key is refused; Infinity = never. */
  readonly expiresAtMs: number;
  /** USD per calendar month (UTC); null = no budget of its own. */
  readonly monthlyBudgetUsd: number | null;
}

export class ApiKeyStore {
  private byHash = new Map<string, ApiKeyPrincipal>();
  /** Monthly USD budgets of the users that have one (any caller of theirs: keys and SSO). */
  private userBudgets = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private loaded = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly refreshMs: number,
    private readonly warn: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get ready(): boolean {
    return this.loaded;
  }

  async start(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((error: Error) => this.warn(`API key reload failed (keeping the last set): ${error.message}`));
    }, this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** By the key's SHA-256 (computed by the caller, once per request or connection: see http/bearer.ts). */
  findByDigest(digest: Buffer): ApiKeyPrincipal | undefined {
    const key = this.byHash.get(digest.toString('hex'));
    return key && key.expiresAtMs > this.now() ? key : undefined;
  }

  /** The user's monthly budget in USD, or undefined for none. */
  userBudget(userId: string): number | undefined {
    return this.userBudgets.get(userId);
  }

  /** Keys and users with a budget, whose month-to-date spend replicas keep in step (budgets/). */
  budgeted(): { keys: string[]; users: string[] } {
    const keys: string[] = [];
    for (const key of this.byHash.values()) if (key.monthlyBudgetUsd !== null) keys.push(key.id);
    return { keys, users: [...this.userBudgets.keys()] };
  }

  async reload(): Promise<void> {
    const rows = await this.prisma.apiKey.findMany({
      where: { revokedAt: null, user: { active: true }, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date(this.now()) } }] },
      select: { id: true, keyHash: true, rpmLimit: true, tpmLimit: true, expiresAt: true, monthlyBudgetUsd: true, user: { select: { id: true, role: true } } },
    });
    const budgets = await this.prisma.user.findMany({ where: { active: true, monthlyBudgetUsd: { not: null } }, select: { id: true, monthlyBudgetUsd: true } });
    const next = new Map<string, ApiKeyPrincipal>();
    for (const row of rows) {
      if (!isRole(row.user.role) || !roleGrantsService(row.user.role, 'rm')) continue;
      next.set(row.keyHash, {
        id: row.id,
        userId: row.user.id,
        rpmLimit: row.rpmLimit,
        tpmLimit: row.tpmLimit,
        expiresAtMs: row.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
        monthlyBudgetUsd: row.monthlyBudgetUsd,
      });
    }
    this.byHash = next;
    this.userBudgets = new Map(budgets.map((u) => [u.id, u.monthlyBudgetUsd as number]));
    this.loaded = true;
  }
}
