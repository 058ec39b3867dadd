/**
 * The leader's delivery loop: every tick it announces maintenance windows that have begun,
 * then claims due deliveries (`FOR UPDATE SKIP LOCKED`, so even two overlapping leaders never
 * take the same row), sends them, and records each outcome — delivered, or retried after
 * `backoff × 2^(attempts-1)` (capped), or given up after `maxAttempts` — or at once when the
 * address policy refuses the webhook (its URL, or the address its name now resolves to: DNS
 * rebinding), which no retry should change. A claim lasts
 * `claimMs`: if this process dies mid-send, the row becomes due again when the claim runs out
 * and the next leader sends it (at least once; a receiver may see a duplicate, never a loss).
 * Times come from the app's clock, so tests move them instead of sleeping. Settled rows
 * (delivered or given up) are kept 30 days for the admin's questions, then pruned hourly.
 */
import { Logger } from '@nestjs/common';
import { pgText, type PrismaClient } from '@orcest/db';
import type { Clock } from '../clock';
import type { IncidentStore } from '../store/incident-store';
import type { DeliverySender } from './delivery-sender';
import type { SubscriptionLinks } from './subscription-links';
import { WebhookUrlRefused } from './webhook-address-policy';

export interface DispatcherOptions {
  readonly tickMs?: number;
  readonly batch?: number;
  readonly claimMs?: number;
  readonly maxAttempts?: number;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long delivered and given-up rows are kept. */
  readonly keepMs?: number;
}

interface ClaimedRow {
  id: bigint;
  subscriber_id: string;
  subject: string;
  body: string;
  attempts: number;
  kind: string;
  target: string;
  secret: string | null;
  headers: Record<string, string> | null;
}

const logger = new Logger('StatusDeliveries');

export class DeliveryDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly o: Required<DispatcherOptions>;
  private lastPrune = -Infinity;
  delivered = 0;
  failed = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly incidents: IncidentStore,
    private readonly sender: DeliverySender,
    private readonly links: SubscriptionLinks,
    private readonly clock: Clock,
    options: DispatcherOptions = {},
  ) {
    this.o = { tickMs: 1000, batch: 20, claimMs: 60_000, maxAttempts: 8, backoffMs: 30_000, maxBackoffMs: 3_600_000, keepMs: 30 * 86_400_000, ...options };
  }

  /** Called when this replica becomes the leader. */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.running.then(async () => void (await this.tick())).catch((error: Error) => logger.warn(`delivery tick failed: ${error.message}`));
    };
    tick();
    this.timer = setInterval(tick, this.o.tickMs);
  }

  /** Called when it stops leading: no new claims; the current sends finish. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round: announce started maintenance, then send what is due. Tests call it directly. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    await this.incidents.announceStartedMaintenances(new Date(now));
    if (now - this.lastPrune >= 3_600_000) {
      this.lastPrune = now;
      await this.prune(now);
    }
    const rows = await this.claim(now);
    await Promise.all(rows.map((row) => this.deliver(row)));
    return rows.length;
  }

  /** Drops settled rows older than `keepMs`; pending ones are never dropped. */
  async prune(now: number): Promise<number> {
    const cutoff = new Date(now - this.o.keepMs);
    const { count } = await this.prisma.statusDelivery.deleteMany({ where: { OR: [{ deliveredAt: { lt: cutoff } }, { failedAt: { lt: cutoff } }] } });
    return count;
  }

  private claim(now: number): Promise<ClaimedRow[]> {
    return this.prisma.$queryRawUnsafe<ClaimedRow[]>(
      `WITH due AS (
         SELECT id FROM status_deliveries
         WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
         ORDER BY next_attempt_at LIMIT $3::int FOR UPDATE SKIP LOCKED)
       UPDATE status_deliveries d SET claimed_until = $2, attempts = d.attempts + 1
       FROM due, status_subscribers s
       WHERE d.id = due.id AND s.id = d.subscriber_id
       RETURNING d.id, d.subscriber_id, d.subject, d.body, d.attempts, s.kind, s.target, s.secret, s.headers`,
      new Date(now),
      new Date(now + this.o.claimMs),
      this.o.batch,
    );
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    try {
      await this.sender.send({ kind: row.kind, target: row.target, secret: row.secret, headers: row.headers ?? {}, subject: row.subject, body: row.body, unsubscribeUrl: this.links.unsubscribeUrl(row.subscriber_id, this.clock.now()) });
      await this.prisma.statusDelivery.update({ where: { id: row.id }, data: { deliveredAt: new Date(this.clock.now()), claimedUntil: null, lastError: null } });
      this.delivered++;
    } catch (error) {
      const reason = pgText((error as Error).message, 500);
      const giveUp = row.attempts >= this.o.maxAttempts || error instanceof WebhookUrlRefused;
      const wait = Math.min(this.o.backoffMs * 2 ** (row.attempts - 1), this.o.maxBackoffMs);
      const now = this.clock.now();
      await this.prisma.statusDelivery
        .update({ where: { id: row.id }, data: giveUp ? { failedAt: new Date(now), claimedUntil: null, lastError: reason } : { nextAttemptAt: new Date(now + wait), claimedUntil: null, lastError: reason } })
        .catch((e: Error) => logger.warn(`could not record a delivery's failure (${e.message}); its claim will expire and it will be retried`));
      if (giveUp) {
        this.failed++;
        logger.warn(`gave up a ${row.kind} delivery after ${row.attempts} attempt${row.attempts === 1 ? '' : 's'}: ${reason}`);
      }
    }
  }
}
