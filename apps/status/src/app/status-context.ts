/**
 * Everything the status app builds once at start, handed to Nest as one value (a class token,
 * no string DI tokens): the checker, the stores, the cached read model and admin sign-in.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@orcest/db';
import type { ResolveHost } from '@orcest/egress';
import type { StatusConfig } from '@orcest/monitoring';
import { AdminAuth } from './admin/admin-auth';
import { Checker } from './checker/checker';
import { WebhookNotifier } from './checker/webhook-notifier';
import type { Clock } from './clock';
import { HistoryWriter } from './store/history-writer';
import { IncidentStore } from './store/incident-store';
import { ComponentDetailsService } from './summary/component-details';
import { SummaryService } from './summary/summary-service';
import { DeliveryDispatcher, type DispatcherOptions } from './subscriptions/delivery-dispatcher';
import { DeliverySender } from './subscriptions/delivery-sender';
import { NotificationOutbox } from './subscriptions/notification-outbox';
import { SmtpClient } from './subscriptions/smtp-client';
import { SubscriptionLinks } from './subscriptions/subscription-links';
import { SubscriptionStore } from './subscriptions/subscription-store';
import { WebhookAddressPolicy } from './subscriptions/webhook-address-policy';

export interface StatusContextOptions {
  readonly clock: Clock;
  /** This replica's name in the lease table (default: host, pid and a random suffix). */
  readonly replicaName?: string;
  /** Start the checker (default true); tests of the read side may leave it off. */
  readonly check?: boolean;
  /** The subscribers' delivery loop (tests shorten its tick and backoff). */
  readonly deliveries?: DispatcherOptions;
  /** How subscribers' webhook hosts are resolved (default: the system resolver; tests use a fake DNS server). */
  readonly resolveHost?: ResolveHost;
}

export class StatusContext {
  readonly writer: HistoryWriter;
  readonly incidents: IncidentStore;
  readonly notifier: WebhookNotifier;
  readonly checker: Checker;
  readonly summary: SummaryService;
  readonly componentDetails: ComponentDetailsService;
  readonly auth: AdminAuth;
  readonly subscriptions: SubscriptionStore;
  readonly links: SubscriptionLinks;
  readonly deliveries: DeliveryDispatcher;
  private readonly sender: DeliverySender;
  private readonly configIds: Set<string>;
  private knownDiscovered = new Set<string>();

  constructor(
    readonly config: StatusConfig,
    readonly prisma: PrismaClient,
    readonly options: StatusContextOptions,
  ) {
    this.configIds = new Set(config.monitors.map((m) => m.id));
    this.writer = new HistoryWriter(prisma);
    const known = (id: string) => this.configIds.has(id) || this.knownDiscovered.has(id);
    const page = { id: config.page.id, name: config.page.name, url: config.page.url };
    this.links = new SubscriptionLinks(config.sessionSecret, config.server.baseUrl);
    const outbox = new NotificationOutbox({
      page,
      links: this.links,
      componentName: (id) => this.summary.lastKnown()?.components.find((c) => c.id === id)?.name ?? config.monitors.find((m) => m.id === id)?.name ?? id,
      pageStatus: () => this.summary.lastKnown()?.status ?? { indicator: 'none', description: 'All Systems Operational' },
      now: () => options.clock.now(),
    });
    this.incidents = new IncidentStore(prisma, known, outbox);
    const subs = config.subscriptions;
    const webhookAddresses = new WebhookAddressPolicy(subs.allowPrivateWebhooks, options.resolveHost);
    this.subscriptions = new SubscriptionStore(prisma, outbox, { emailEnabled: subs.smtpUrl !== undefined, webhookAddresses, knownComponent: known, now: () => options.clock.now() });
    this.sender = new DeliverySender({ smtp: subs.smtpUrl ? new SmtpClient(subs.smtpUrl) : undefined, mailFrom: subs.mailFrom, webhookAddresses }, options.clock);
    this.deliveries = new DeliveryDispatcher(prisma, this.incidents, this.sender, this.links, options.clock, options.deliveries);
    this.notifier = new WebhookNotifier(config.webhooks, page, prisma, options.clock);
    this.checker = new Checker({
      config,
      prisma,
      writer: this.writer,
      incidents: this.incidents,
      notifier: this.notifier,
      clock: options.clock,
      holder: options.replicaName ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      leaderTasks: [this.notifier, this.deliveries],
    });
    this.summary = new SummaryService(config, prisma, this.incidents, options.clock);
    this.componentDetails = new ComponentDetailsService(prisma, options.clock, config.page.cacheMs);
    this.auth = new AdminAuth(config.oidc, config.server.baseUrl, config.sessionSecret, options.clock);
  }

  get clock(): Clock {
    return this.options.clock;
  }

  /** Discovered components (gateway deployments) the admin may attach incidents to. */
  rememberComponents(ids: Iterable<string>): void {
    this.knownDiscovered = new Set([...ids].filter((id) => !this.configIds.has(id)));
  }

  async close(): Promise<void> {
    await this.checker.stop();
    await this.sender.close();
    await this.auth.close();
    await this.prisma.$disconnect();
  }
}
