/**
 * Webhook notifications on every component status change, in Statuspage's component-update
 * shape. Deliveries run off the check path: `notify` only queues. Each delivery is retried
 * with exponential backoff; the queue is bounded (oldest dropped, counted) so an endpoint
 * that is down for days costs no memory growth. A receiver is a third party: `component.detail`
 * is the check's plain-words summary, never its raw error.
 */
import { Logger } from '@nestjs/common';
import type { ComponentStatus, WebhookSpec } from '@orcest/monitoring';
import { Agent, request } from 'undici';

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

export interface WebhookOptions {
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly timeoutMs?: number;
  readonly maxQueued?: number;
}

interface Delivery {
  readonly hook: WebhookSpec;
  readonly body: string;
  attempt: number;
}

const logger = new Logger('StatusWebhooks');

export class WebhookNotifier {
  private readonly queue: Delivery[] = [];
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 4 });
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly maxQueued: number;
  private active = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  delivered = 0;
  failed = 0;
  dropped = 0;

  constructor(
    private readonly hooks: readonly WebhookSpec[],
    private readonly page: { id: string; name: string; url: string },
    options: WebhookOptions = {},
  ) {
    this.attempts = options.attempts ?? 5;
    this.backoffMs = options.backoffMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxQueued = options.maxQueued ?? 1000;
  }

  notify(change: ComponentChange): void {
    if (this.closed || this.hooks.length === 0) return;
    const body = JSON.stringify({
      meta: { generated_at: new Date(change.at).toISOString() },
      page: { id: this.page.id, name: this.page.name, url: this.page.url },
      component_update: {
        created_at: new Date(change.at).toISOString(),
        new_status: change.newStatus,
        old_status: change.oldStatus,
        id: `${change.componentId}-${change.at}`,
        component_id: change.componentId,
      },
      component: { id: change.componentId, name: change.componentName, status: change.newStatus, updated_at: new Date(change.at).toISOString(), detail: change.summary },
    });
    for (const hook of this.hooks) this.enqueue({ hook, body, attempt: 0 });
  }

  private enqueue(delivery: Delivery): void {
    if (this.queue.length >= this.maxQueued) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(delivery);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.active < 4 && this.queue.length > 0) {
      const delivery = this.queue.shift() as Delivery;
      this.active++;
      void this.send(delivery).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async send(delivery: Delivery): Promise<void> {
    delivery.attempt++;
    try {
      const res = await request(delivery.hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'orcest-status/1', ...delivery.hook.headers },
        body: delivery.body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) {
        this.delivered++;
        return;
      }
      this.retry(delivery, `HTTP ${res.statusCode}`);
    } catch (error) {
      this.retry(delivery, (error as Error).message);
    }
  }

  private retry(delivery: Delivery, reason: string): void {
    if (this.closed) return;
    if (delivery.attempt >= this.attempts) {
      this.failed++;
      logger.warn(`webhook ${new URL(delivery.hook.url).origin} failed ${delivery.attempt} times (${reason}); giving up on this event`);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(delivery);
    }, this.backoffMs * 2 ** (delivery.attempt - 1));
    this.timers.add(timer);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.agent.close();
  }
}
