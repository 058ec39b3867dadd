/**
 * Turns incidents, incident updates and maintenance windows into queued deliveries, one per
 * confirmed subscriber who follows one of the affected components (or everything), inside the
 * transaction that writes the event: an incident is never stored without its notifications,
 * nor notified without being stored. Sending is the leader's `DeliveryDispatcher`'s job.
 */
import type { Prisma, StatusIncident, StatusIncidentUpdate, StatusMaintenance } from '@orcest/db';
import type { PageIndicator } from '@orcest/monitoring';
import { confirmationMail, incidentMail, incidentWebhook, maintenanceMail, maintenanceWebhook, scopeText, type PageInfo, type Rendered } from './notification-content';
import type { SubscriptionLinks } from './subscription-links';

type Tx = Prisma.TransactionClient;

export interface OutboxDeps {
  readonly page: PageInfo;
  readonly links: SubscriptionLinks;
  /** A component's shown name (its id when unknown). */
  readonly componentName: (id: string) => string;
  /** The page's status as last computed (webhook bodies carry it, as Statuspage's do). */
  readonly pageStatus: () => { indicator: PageIndicator; description: string };
  readonly now: () => number;
}

interface Subscriber {
  readonly id: string;
  readonly kind: string;
  readonly componentIds: string[];
}

export class NotificationOutbox {
  constructor(private readonly deps: OutboxDeps) {}

  /** A new incident or a new update of one: `updates` newest first, the new one at [0]. */
  async incident(tx: Tx, incident: StatusIncident, updates: readonly StatusIncidentUpdate[]): Promise<number> {
    const latest = updates[0];
    if (!latest) return 0;
    return this.fanOut(tx, incident.componentIds, 'incident', (s, scope, unsubscribeUrl) =>
      s.kind === 'email'
        ? incidentMail(this.deps.page, incident, latest, this.names(incident.componentIds), scope, unsubscribeUrl)
        : { subject: incident.name, body: incidentWebhook(this.webhookContext(incident.componentIds, unsubscribeUrl), incident, updates) },
    );
  }

  async maintenance(tx: Tx, m: StatusMaintenance, phase: 'scheduled' | 'started'): Promise<number> {
    return this.fanOut(tx, m.componentIds, 'maintenance', (s, scope, unsubscribeUrl) =>
      s.kind === 'email'
        ? maintenanceMail(this.deps.page, m, phase, this.names(m.componentIds), scope, unsubscribeUrl)
        : { subject: m.name, body: maintenanceWebhook(this.webhookContext(m.componentIds, unsubscribeUrl), m, phase) },
    );
  }

  /** The double opt-in mail, queued like any delivery (retried, and sent by whichever replica leads). */
  async confirmation(tx: Tx, subscriber: Subscriber): Promise<void> {
    const mail = confirmationMail(this.deps.page, this.deps.links.confirmUrl(subscriber.id, this.deps.now()), scopeText(this.names(subscriber.componentIds)));
    await tx.statusDelivery.create({ data: { subscriberId: subscriber.id, event: 'confirm', subject: mail.subject, body: mail.body, nextAttemptAt: new Date(this.deps.now()) } });
  }

  private async fanOut(tx: Tx, componentIds: readonly string[], event: string, render: (s: Subscriber, scope: string, unsubscribeUrl: string) => Rendered): Promise<number> {
    // Everything-subscribers always; the others when they follow an affected component.
    const subscribers = await tx.statusSubscriber.findMany({
      where: { kind: { in: ['email', 'webhook'] }, confirmedAt: { not: null }, OR: [{ componentIds: { isEmpty: true } }, ...(componentIds.length ? [{ componentIds: { hasSome: [...componentIds] } }] : [])] },
      select: { id: true, kind: true, componentIds: true },
    });
    if (subscribers.length === 0) return 0;
    const now = this.deps.now();
    await tx.statusDelivery.createMany({
      data: subscribers.map((s) => {
        const rendered = render(s, scopeText(this.names(s.componentIds)), this.deps.links.unsubscribeUrl(s.id, now));
        return { subscriberId: s.id, event, subject: rendered.subject, body: rendered.body, nextAttemptAt: new Date(now) };
      }),
    });
    return subscribers.length;
  }

  private names(ids: readonly string[]): string[] {
    return ids.map((id) => this.deps.componentName(id));
  }

  private webhookContext(componentIds: readonly string[], unsubscribeUrl: string) {
    return { page: this.deps.page, pageStatus: this.deps.pageStatus(), unsubscribeUrl, components: componentIds.map((id) => ({ id, name: this.deps.componentName(id) })) };
  }
}
