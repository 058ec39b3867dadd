/**
 * Everything the gateway builds once at start from its config, handed to Nest as one value
 * (a class token, so no string DI tokens). Controllers stay thin: they read from here.
 *
 * What comes from the YAML file (deployments, routing, the chat service) lives in the routing
 * table, which a config reload replaces (routing-table/): `registry`, `routing`, `planner`,
 * `setup`, `completions` and `config` read the table in force. A request that must stay on one
 * table reads `tables.current` once.
 */
import { Logger } from '@nestjs/common';
import type { GatewayConfig } from '@orcest/config';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { UpstreamClient } from '@orcest/providers';
import { EgressPolicyHolder, guardedLookup, systemResolve, type ResolveHost } from '@orcest/egress';
import { guardedDownload } from './catalogue/catalogue-download';
import { KnowledgeAgentClient } from './knowledge/knowledge-agent-client';
import type { KnowledgeStep } from './knowledge/knowledge-step';
import { CircuitBreaker } from '@orcest/routing';
import type { CompletionPipeline } from './completions/completion-pipeline';
import type { AttemptFailure } from './completions/attempt-failure';
import type { Deployment } from './deployments/deployment';
import type { DeploymentRegistry } from './deployments/deployment-registry';
import type { ModelNames } from './deployments/model-names';
import type { EmbeddingsService } from './embeddings/embeddings.service';
import { ApiAuth } from './http/api-auth';
import { OperatorAuth } from './http/operator-auth';
import { ApiKeyStore } from './keys/api-key-store';
import { MemoryLimitStore, RateLimiter } from './limits/rate-limiter';
import { RedisLimitStore } from './limits/redis-limit-store';
import { SsoLimits } from './limits/sso-limits';
import { RequestMetrics } from './metrics/request-metrics';
import type { UpstreamSetup } from './setup/upstream-setup';
import { UsageRecorder } from './usage/usage-recorder';
import { UsageRetention } from './usage/usage-retention';
import { Budgets, spendLoader } from './budgets/budgets';
import { MemorySpendStore, RedisSpendStore } from './budgets/spend-store';
import { CatalogueService } from './catalogue/catalogue-service';
import { PrismaCatalogueStore } from './catalogue/catalogue-store';
import type { RoutePlanner } from './routing/route-planner';
import type { RoutingState } from './routing/routing-state';
import { BreakerFleet, type BreakerSharing } from './breakers/breaker-fleet';
import { ConfigWatcher } from './routing-table/config-watcher';
import { LiveRoutingTable } from './routing-table/live-routing-table';
import type { ResponseCache } from './cache/response-cache';
import { CacheCounters } from './cache/cache-counters';
import type { CacheStore } from './cache/cache-store';
import { MemoryCacheStore } from './cache/memory-cache-store';
import { RedisCacheStore } from './cache/redis-cache-store';
import { ResponseStore } from './responses/store/response-store';

/** How often expired stored responses are deleted (each replica; they share the work). */
const RESPONSE_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

const logger = new Logger('RainyModel');

export class GatewayContext {
  readonly client: UpstreamClient;
  /** The routing table in force; `tables.reload(reason)` replaces it (watcher, SIGHUP). */
  readonly tables: LiveRoutingTable;
  readonly startedAt = Date.now();
  readonly auth: ApiAuth;
  readonly operatorAuth: OperatorAuth;
  readonly limiter: RateLimiter;
  /** With SSO: the rate limits of SSO-token callers. */
  readonly ssoLimits: SsoLimits | undefined;
  readonly metrics: RequestMetrics;
  /** With a database only (DATABASE_URL): API keys and usage records. */
  readonly apiKeys: ApiKeyStore | undefined;
  readonly usage: UsageRecorder | undefined;
  /** Stored Responses-API responses (`store`, `previous_response_id`), with a database only. */
  readonly responses: ResponseStore | undefined;
  /** Prunes raw usage records and daily roll-ups past their retention (with a database). */
  readonly usageRetention: UsageRetention | undefined;
  /** Monthly budgets per key and per user (with a database). */
  readonly budgets: Budgets | undefined;
  /** Model metadata (windows, prices, quality), refreshed from the configured URLs. */
  readonly catalogue: CatalogueService;
  /** With REDIS_URL: circuit breaker decisions shared by the replicas. */
  readonly breakerFleet: BreakerFleet | undefined;
  /**
   * Where cached chat answers live (memory or Redis), kept across config reloads; each routing
   * table has its own ResponseCache over it (settings and model fingerprints of its config).
   */
  private readonly cacheStore: CacheStore;
  private readonly prisma: PrismaClient | undefined;
  private readonly watcher: ConfigWatcher | undefined;

  constructor(
    /** The config at start; `config` below is the one in force. */
    config: GatewayConfig,
    /** On shutdown, how long open client connections may finish before they are cut. */
    readonly shutdownGraceMs = 10_000,
    limiterClock: () => number = Date.now,
    routingClock: () => number = Date.now,
    budgetClock: () => number = Date.now,
    cacheClock: () => number = Date.now,
    /** Resolves upstream hosts for new connections (tests point it at a fake DNS server). */
    resolveHost: ResolveHost = systemResolve,
  ) {
    const warn = (message: string): void => logger.warn(message);
    // Every connection out (upstreams, knowledge agents, catalogue sources) resolves through the
    // upstream guard: no DNS answer in a private range unless allowed. The allowance is the
    // routing table's in force: a reload that changes allow_private_upstreams swaps it below.
    const upstreamPolicy = new EgressPolicyHolder(config.upstreamPolicy);
    const lookup = guardedLookup(upstreamPolicy, resolveHost);
    this.client = new UpstreamClient({ lookup });
    const knowledgeClient = new KnowledgeAgentClient(lookup);
    if (config.data) {
      this.prisma = createPrismaClient(config.data.databaseUrl, { poolSize: 4 });
      const apiKeys = new ApiKeyStore(this.prisma, config.data.keyRefreshMs, warn);
      this.apiKeys = apiKeys;
      this.usage = new UsageRecorder(this.prisma, warn);
      this.responses = new ResponseStore(this.prisma, { ttlMs: config.data.responsesTtlMs, warn });
      this.usageRetention = new UsageRetention(this.prisma, config.data.usageRetention, { info: (m) => logger.log(m), warn });
      const spend = config.redisUrl ? new RedisSpendStore(config.redisUrl, warn) : new MemorySpendStore();
      this.budgets = new Budgets(spend, spendLoader(this.prisma), apiKeys, config.data.budgetMode, warn, budgetClock);
    }
    this.limiter = new RateLimiter(config.redisUrl ? new RedisLimitStore(config.redisUrl, warn) : new MemoryLimitStore(), limiterClock);
    this.auth = new ApiAuth(config.auth, this.apiKeys);
    this.ssoLimits = config.auth.sso ? new SsoLimits(config.auth.sso.limits) : undefined;
    const unknownRoles = this.ssoLimits?.unknownRoles() ?? [];
    if (unknownRoles.length > 0) warn(`RAINYMODEL_SSO_LIMITS_BY_ROLE names roles Login does not have: ${unknownRoles.join(', ')} (they never apply)`);
    this.operatorAuth = new OperatorAuth(config.auth.metricsKey, this.auth);
    this.catalogue = new CatalogueService(config.catalogue, this.prisma ? new PrismaCatalogueStore(this.prisma) : undefined, warn, guardedDownload(lookup));
    const fleet = config.redisUrl ? new BreakerFleet(config.redisUrl, { log: (message) => logger.log(message), warn }) : undefined;
    this.breakerFleet = fleet;
    // The store's bounds (and whether Redis keeps answers) are fixed at start; a reload changes what is cached.
    const { maxEntries, maxBytes } = config.cache;
    const anyAliasCached = config.cache.allAliases || Object.values(config.cache.aliases).some((alias) => alias !== false);
    this.cacheStore = config.redisUrl ? new RedisCacheStore(config.redisUrl, maxBytes, warn, cacheClock, anyAliasCached) : new MemoryCacheStore(maxEntries, maxBytes, cacheClock);
    this.tables = new LiveRoutingTable(
      config,
      {
        client: this.client,
        catalogue: () => this.catalogue.catalogue,
        breakerFor: fleet ? (identity, settings) => fleet.breakerFor(identity, settings) : (_identity, settings) => new CircuitBreaker(settings),
        routingClock,
        cacheStore: this.cacheStore,
        cacheCounters: new CacheCounters(),
        knowledgeClient,
        warn,
        cacheClock,
        onAttemptFailed: config.server.debug ? logAttemptFailure : undefined,
      },
      { log: (message) => logger.log(message), warn },
    );
    this.catalogue.onChange((catalogue) => this.routing.useCatalogue(catalogue));
    // Metric labels stay bounded: every alias any config in force named, and `(other)`.
    const aliases = new Set(config.aliases);
    this.metrics = new RequestMetrics(aliases);
    this.tables.onReload((outcome) => {
      if (outcome.kind !== 'reloaded') return;
      // Connections pooled under the old allowance are never looked up again: start new pools.
      // (Catalogue downloads keep no connections.)
      if (upstreamPolicy.use(outcome.table.config.upstreamPolicy)) {
        this.client.renewConnections();
        knowledgeClient.renewConnections();
      }
      for (const alias of outcome.table.registry.aliases) aliases.add(alias);
      fleet?.retain(new Set(outcome.table.registry.all.map((d) => d.identity)));
    });
    if (config.watchConfig) this.watcher = new ConfigWatcher(config.configFile, () => this.tables.reload('file changed'), warn);
  }

  /** The config in force: the start's environment with the current table's YAML part. */
  get config(): GatewayConfig {
    return this.tables.current.config;
  }

  get registry(): DeploymentRegistry {
    return this.tables.current.registry;
  }

  get routing(): RoutingState {
    return this.tables.current.routing;
  }

  get planner(): RoutePlanner {
    return this.tables.current.planner;
  }

  /** The ready block's upstream lines and the "nothing answers" hint. */
  get setup(): UpstreamSetup {
    return this.tables.current.setup;
  }

  get completions(): CompletionPipeline {
    return this.tables.current.completions;
  }

  /** Client model names → aliases (`model_aliases`). */
  get modelNames(): ModelNames {
    return this.tables.current.modelNames;
  }

  /** Chat answers of the config in force, in memory or in Redis (REDIS_URL); see cache/response-cache.ts. */
  get cache(): ResponseCache {
    return this.tables.current.cache;
  }

  /** Knowledge context for the aliases with a knowledge agent (seed 004), as the config in force says. */
  get knowledge(): KnowledgeStep {
    return this.tables.current.knowledge;
  }

  get embeddings(): EmbeddingsService {
    return this.tables.current.embeddings;
  }

  /** For /health: whether breaker decisions are shared between replicas right now. */
  breakerSharing(): BreakerSharing {
    return this.breakerFleet?.status() ?? { mode: 'local' };
  }

  /** Loads what must be in memory before the first request (the API keys). */
  async start(): Promise<void> {
    await this.apiKeys?.start();
    await this.budgets?.start();
    await this.catalogue.start();
    this.responses?.startPruning(RESPONSE_PRUNE_INTERVAL_MS);
    this.usageRetention?.start();
    // Shared limits and breakers from the first request (each waits at most 2 s, then fails open / stays local).
    await Promise.all([this.limiter.ready(), this.breakerFleet?.ready()]);
    this.watcher?.start();
  }

  /** After the server stopped taking requests: flush usage, release connections. */
  async stop(): Promise<void> {
    this.watcher?.close();
    this.apiKeys?.stop();
    this.budgets?.stop();
    this.catalogue.stop();
    await this.usageRetention?.stop();
    await this.usage?.close().catch((error: Error) => logger.warn(`usage records lost at shutdown: ${error.message}`));
    await this.responses?.close();
    await this.limiter.close();
    await this.breakerFleet?.close();
    await this.cacheStore.close();
    await this.budgets?.close();
    await this.prisma?.$disconnect();
  }
}

function logAttemptFailure(deployment: Deployment, failure: AttemptFailure): void {
  logger.warn(`${deployment.alias} → ${deployment.name} (${deployment.tier}) failed: ${failure.reason}: ${failure.message}`);
}
