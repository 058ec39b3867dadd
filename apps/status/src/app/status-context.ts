/**
 * Everything the status app builds once at start, handed to Nest as one value (a class token,
 * no string DI tokens): the checker, the stores, the cached read model and admin sign-in.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@orcest/db';
import type { StatusConfig } from '@orcest/monitoring';
import { AdminAuth } from './admin/admin-auth';
import { Checker } from './checker/checker';
import { WebhookNotifier, type WebhookOptions } from './checker/webhook-notifier';
import type { Clock } from './clock';
import { HistoryWriter } from './store/history-writer';
import { IncidentStore } from './store/incident-store';
import { ComponentDetailsService } from './summary/component-details';
import { SummaryService } from './summary/summary-service';

export interface StatusContextOptions {
  readonly clock: Clock;
  /** This replica's name in the lease table (default: host, pid and a random suffix). */
  readonly replicaName?: string;
  readonly webhook?: WebhookOptions;
  /** Start the checker (default true); tests of the read side may leave it off. */
  readonly check?: boolean;
}

export class StatusContext {
  readonly writer: HistoryWriter;
  readonly incidents: IncidentStore;
  readonly notifier: WebhookNotifier;
  readonly checker: Checker;
  readonly summary: SummaryService;
  readonly componentDetails: ComponentDetailsService;
  readonly auth: AdminAuth;
  private readonly configIds: Set<string>;
  private knownDiscovered = new Set<string>();

  constructor(
    readonly config: StatusConfig,
    readonly prisma: PrismaClient,
    readonly options: StatusContextOptions,
  ) {
    this.configIds = new Set(config.monitors.map((m) => m.id));
    this.writer = new HistoryWriter(prisma);
    this.incidents = new IncidentStore(prisma, (id) => this.configIds.has(id) || this.knownDiscovered.has(id));
    this.notifier = new WebhookNotifier(config.webhooks, { id: config.page.id, name: config.page.name, url: config.page.url }, options.webhook);
    this.checker = new Checker({
      config,
      prisma,
      writer: this.writer,
      incidents: this.incidents,
      notifier: this.notifier,
      clock: options.clock,
      holder: options.replicaName ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
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
    await this.notifier.close();
    await this.auth.close();
    await this.prisma.$disconnect();
  }
}
