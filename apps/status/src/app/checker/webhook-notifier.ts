/**
 * The operator's webhooks (`webhooks:` in the YAML): a JSON POST on every change of a
 * component's shown status, in Statuspage's component-update shape. `notify` runs on the check
 * path and only queues: each change becomes a row in `status_deliveries` for each configured
 * hook, sent by the leader's `DeliveryDispatcher` with the subscribers' retries and backoff — so
 * a retry pending when the leader dies is sent by the next one, not lost with its memory. The
 * hooks are kept as subscribers of kind `operator` (their headers included), synced from the
 * config when this replica starts leading. A receiver is a third party: `component.detail` is
 * the check's plain-words summary, never its raw error.
 */
import { Logger } from '@nestjs/common';
import { Prisma, type PrismaClient } from '@orcest/db';
import type { ComponentStatus, WebhookSpec } from '@orcest/monitoring';
import type { Clock } from '../clock';

export interface ComponentChange {
  readonly componentId: string;
  readonly componentName: string;
  /** Null when the component had no data before (its first settled status is an outage). */
  readonly oldStatus: ComponentStatus | null;
  readonly newStatus: ComponentStatus;
  readonly at: number;
  /** What failed in plain words (public: never the raw error). */
  readonly summary: string | null;
}

const logger = new Logger('StatusWebhooks');

export class WebhookNotifier {
  private subscriberIds: string[] = [];
  /** Queue writes in order, one after the other, off the check path. */
  private pending: Promise<unknown> = Promise.resolve();
  queued = 0;

  constructor(
    private readonly hooks: readonly WebhookSpec[],
    private readonly page: { id: string; name: string; url: string },
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /** Leader task: make the `operator` subscribers match the config before the first change is queued. */
  start(): void {
    this.pending = this.pending.then(() => this.sync()).catch((error: Error) => logger.warn(`could not sync the configured webhooks: ${error.message}`));
  }

  async stop(): Promise<void> {
    await this.pending;
  }

  notify(change: ComponentChange): void {
    if (this.hooks.length === 0) return;
    const at = new Date(change.at).toISOString();
    const body = JSON.stringify({
      meta: { generated_at: at },
      page: { id: this.page.id, name: this.page.name, url: this.page.url },
      component_update: { created_at: at, new_status: change.newStatus, old_status: change.oldStatus, id: `${change.componentId}-${change.at}`, component_id: change.componentId },
      component: { id: change.componentId, name: change.componentName, status: change.newStatus, updated_at: at, detail: change.summary },
    });
    this.pending = this.pending
      .then(() => {
        if (this.subscriberIds.length === 0) return;
        this.queued += this.subscriberIds.length;
        const now = new Date(this.clock.now());
        return this.prisma.statusDelivery.createMany({ data: this.subscriberIds.map((subscriberId) => ({ subscriberId, event: 'component', subject: `${change.componentName}: ${change.newStatus}`, body, nextAttemptAt: now })) });
      })
      .catch((error: Error) => logger.warn(`could not queue the webhook for ${change.componentId}: ${error.message}`));
  }

  /** Resolves once every change notified so far is queued (tests; shutdown). */
  flushed(): Promise<unknown> {
    return this.pending;
  }

  private async sync(): Promise<void> {
    const now = new Date(this.clock.now());
    const existing = await this.prisma.statusSubscriber.findMany({ where: { kind: 'operator' } });
    const ids: string[] = [];
    for (const hook of this.hooks) {
      const found = existing.find((s) => s.target === hook.url);
      const headers = { ...hook.headers } as Prisma.InputJsonObject;
      const row = found
        ? await this.prisma.statusSubscriber.update({ where: { id: found.id }, data: { headers } })
        : await this.prisma.statusSubscriber.create({ data: { kind: 'operator', target: hook.url, headers, componentIds: [], confirmedAt: now, createdAt: now } });
      ids.push(row.id);
    }
    // A hook removed from the config stops (its queued deliveries go with it).
    await this.prisma.statusSubscriber.deleteMany({ where: { kind: 'operator', id: { notIn: ids } } });
    this.subscriberIds = ids;
  }
}
