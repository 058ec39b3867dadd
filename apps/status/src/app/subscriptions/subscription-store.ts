/**
 * Subscribing and unsubscribing. Email: double opt-in — a new (or not yet confirmed) address
 * gets a confirmation mail, queued like every delivery; nothing else is sent before the link
 * is followed, and asking again within 10 minutes queues no second mail (the form cannot be
 * used to flood an inbox). Webhook: the URL is checked against the address policy, the
 * subscriber is confirmed at once and gets a signing secret, shown once.
 */
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@orcest/db';
import { InvalidInputError, NotFoundError } from '../errors';
import type { NotificationOutbox } from './notification-outbox';
import { WebhookUrlRefused, type WebhookAddressPolicy } from './webhook-address-policy';

const EMAIL = /^[^\s@<>"(),;:\\[\]]+@[^\s@<>"(),;:\\[\]]+\.[^\s@<>"(),;:\\[\]]+$/;
const RESEND_AFTER_MS = 10 * 60_000;
const MAX_COMPONENTS = 200;

export interface SubscriptionOptions {
  readonly emailEnabled: boolean;
  readonly webhookAddresses: WebhookAddressPolicy;
  readonly knownComponent: (id: string) => boolean;
  readonly now: () => number;
}

export class SubscriptionStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly outbox: NotificationOutbox,
    private readonly options: SubscriptionOptions,
  ) {}

  async subscribeEmail(rawEmail: string, components: readonly string[]): Promise<void> {
    if (!this.options.emailEnabled) throw new InvalidInputError('Email subscriptions are not available on this page (no mail server is configured); use a webhook or the Atom feed.', 'email');
    const email = rawEmail.trim().toLowerCase();
    if (email.length > 254 || !EMAIL.test(email)) throw new InvalidInputError('email is not an email address.', 'email');
    const componentIds = this.requireComponents(components);
    const now = new Date(this.options.now());
    await this.prisma.$transaction(async (tx) => {
      const existing = await tx.statusSubscriber.findFirst({ where: { kind: 'email', target: email }, include: { deliveries: { where: { event: 'confirm' }, orderBy: { createdAt: 'desc' }, take: 1 } } });
      if (existing?.confirmedAt) {
        // Already confirmed: the new choice of components applies; no mail needed.
        await tx.statusSubscriber.update({ where: { id: existing.id }, data: { componentIds } });
        return;
      }
      const subscriber = existing ? await tx.statusSubscriber.update({ where: { id: existing.id }, data: { componentIds } }) : await tx.statusSubscriber.create({ data: { kind: 'email', target: email, componentIds, createdAt: now } });
      const lastMail = existing?.deliveries[0]?.createdAt.getTime();
      if (lastMail !== undefined && now.getTime() - lastMail < RESEND_AFTER_MS) return;
      await this.outbox.confirmation(tx, subscriber);
    });
  }

  /** A webhook subscriber and its signing secret (returned once, never shown again). */
  async subscribeWebhook(rawUrl: string, components: readonly string[]): Promise<{ id: string; secret: string; url: string }> {
    let url: URL;
    try {
      url = await this.options.webhookAddresses.check(rawUrl.trim());
    } catch (error) {
      if (error instanceof WebhookUrlRefused) throw new InvalidInputError(error.message, 'webhook_url');
      throw error;
    }
    const componentIds = this.requireComponents(components);
    const secret = randomBytes(32).toString('hex');
    const now = new Date(this.options.now());
    const subscriber = await this.prisma.statusSubscriber.create({ data: { kind: 'webhook', target: url.toString(), secret, componentIds, confirmedAt: now, createdAt: now } });
    return { id: subscriber.id, secret, url: url.toString() };
  }

  async confirm(subscriberId: string): Promise<{ target: string }> {
    const found = await this.prisma.statusSubscriber.findUnique({ where: { id: subscriberId } });
    if (!found) throw new NotFoundError('This subscription no longer exists; subscribe again.');
    if (!found.confirmedAt) await this.prisma.statusSubscriber.update({ where: { id: subscriberId }, data: { confirmedAt: new Date(this.options.now()) } });
    return { target: found.target };
  }

  /** Removes the subscriber and whatever was still queued for it. Idempotent. */
  async unsubscribe(subscriberId: string): Promise<void> {
    await this.prisma.statusSubscriber.deleteMany({ where: { id: subscriberId } });
  }

  private requireComponents(ids: readonly string[]): string[] {
    const unique = [...new Set(ids.map((id) => id.trim()).filter(Boolean))];
    if (unique.length > MAX_COMPONENTS) throw new InvalidInputError('Too many components.', 'components');
    const unknown = unique.filter((id) => !this.options.knownComponent(id));
    if (unknown.length > 0) throw new InvalidInputError(`Unknown component${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ').slice(0, 300)}.`, 'components');
    return unique;
  }
}
