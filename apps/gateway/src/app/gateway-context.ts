/**
 * Everything the gateway builds once at start from its config, handed to Nest as one value
 * (a class token, so no string DI tokens). Controllers stay thin: they read from here.
 */
import { Logger } from '@nestjs/common';
import type { GatewayConfig } from '@orcest/config';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { UpstreamClient } from '@orcest/providers';
import { guardedLookup, systemResolve, type ResolveHost } from '@orcest/egress';
import { CompletionPipeline } from './completions/completion-pipeline';
import type { AttemptFailure } from './completions/attempt-failure';
import { FallbackWalk } from './completions/fallback-walk';
import type { Deployment } from './deployments/deployment';
import { DeploymentRegistry } from './deployments/deployment-registry';
import { ModelNames } from './deployments/model-names';
import { EmbeddingsService } from './embeddings/embeddings.service';
import { ApiAuth } from './http/api-auth';
import { OperatorAuth } from './http/operator-auth';
import { ApiKeyStore } from './keys/api-key-store';
import { MemoryLimitStore, RateLimiter } from './limits/rate-limiter';
import { RedisLimitStore } from './limits/redis-limit-store';
import { RequestMetrics } from './metrics/request-metrics';
import { UpstreamSetup } from './setup/upstream-setup';
import { UsageRecorder } from './usage/usage-recorder';
import { UsageRetention } from './usage/usage-retention';
import { Budgets, spendLoader } from './budgets/budgets';
import { MemorySpendStore, RedisSpendStore } from './budgets/spend-store';
import { CatalogueService } from './catalogue/catalogue-service';
import { PrismaCatalogueStore } from './catalogue/catalogue-store';
import { guardedDownload } from './catalogue/catalogue-download';
import { RoutePlanner } from './routing/route-planner';
import { RoutingState } from './routing/routing-state';
import { KnowledgeAgentClient } from './knowledge/knowledge-agent-client';
import { KnowledgeStep } from './knowledge/knowledge-step';
import { ResponseCache } from './cache/response-cache';
import { MemoryCacheStore } from './cache/memory-cache-store';
import { RedisCacheStore } from './cache/redis-cache-store';
import { ResponseStore } from './responses/store/response-store';

/** How often expired stored responses are deleted (each replica; they share the work). */
const RESPONSE_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

const logger = new Logger('RainyModel');

export class GatewayContext {
  readonly registry: DeploymentRegistry;
  /** Client model names → aliases (`model_aliases`). */
  readonly modelNames: ModelNames;
  readonly client: UpstreamClient;
  /** Knowledge context for the aliases with a knowledge agent (seed 004). */
  readonly knowledge: KnowledgeStep;
  readonly completions: CompletionPipeline;
  readonly embeddings: EmbeddingsService;
  readonly startedAt = Date.now();
  readonly auth: ApiAuth;
  readonly operatorAuth: OperatorAuth;
  readonly limiter: RateLimiter;
  readonly metrics: RequestMetrics;
  /** The ready block's upstream lines and the "nothing answers" hint. */
  readonly setup: UpstreamSetup;
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
  readonly routing: RoutingState;
  readonly planner: RoutePlanner;
  /** Chat answers, in memory or in Redis (REDIS_URL); see cache/response-cache.ts. */
  readonly cache: ResponseCache;
  private readonly prisma: PrismaClient | undefined;

  constructor(
    readonly config: GatewayConfig,
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
    // Every connection out (upstreams, knowledge agents) resolves through the upstream guard: no DNS answer in a private range unless allowed.
    const lookup = guardedLookup(config.upstreamPolicy, resolveHost);
    this.client = new UpstreamClient({ lookup });
    this.knowledge = new KnowledgeStep(config.knowledge, new KnowledgeAgentClient(lookup), warn);
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
    this.operatorAuth = new OperatorAuth(config.auth.metricsKey, this.auth);
    this.registry = new DeploymentRegistry(config);
    this.setup = new UpstreamSetup(config, this.registry);
    this.catalogue = new CatalogueService(config.catalogue, this.prisma ? new PrismaCatalogueStore(this.prisma) : undefined, warn, guardedDownload(lookup));
    this.routing = new RoutingState(this.registry, config.deployments, config.routing, this.catalogue.catalogue, config.catalogue?.names ?? {}, routingClock);
    this.catalogue.onChange((catalogue) => this.routing.useCatalogue(catalogue));
    this.planner = new RoutePlanner(this.registry, this.routing, config.routing, routingClock);
    this.metrics = new RequestMetrics(new Set(config.aliases));
    const walk = new FallbackWalk(config.router, config.server.debug ? logAttemptFailure : undefined);
    this.modelNames = new ModelNames(config.aliases, config.modelAliases);
    const { maxEntries, maxBytes } = config.cache;
    const anyAliasCached = config.cache.allAliases || Object.values(config.cache.aliases).some((alias) => alias !== false);
    const cacheStore = config.redisUrl ? new RedisCacheStore(config.redisUrl, maxBytes, warn, cacheClock, anyAliasCached) : new MemoryCacheStore(maxEntries, maxBytes, cacheClock);
    this.cache = new ResponseCache(config.cache, config.deployments, cacheStore, cacheClock);
    this.completions = new CompletionPipeline(this.registry, walk, this.client, config.router, this.planner, this.modelNames, this.knowledge, this.cache);
    this.embeddings = new EmbeddingsService(this.registry, walk, this.client, config.router);
  }

  /** Loads what must be in memory before the first request (the API keys). */
  async start(): Promise<void> {
    await this.apiKeys?.start();
    await this.budgets?.start();
    await this.catalogue.start();
    this.responses?.startPruning(RESPONSE_PRUNE_INTERVAL_MS);
    this.usageRetention?.start();
  }

  /** After the server stopped taking requests: flush usage, release connections. */
  async stop(): Promise<void> {
    this.apiKeys?.stop();
    this.budgets?.stop();
    this.catalogue.stop();
    await this.knowledge.close();
    await this.usageRetention?.stop();
    await this.usage?.close().catch((error: Error) => logger.warn(`usage records lost at shutdown: ${error.message}`));
    await this.responses?.close();
    await this.limiter.close();
    await this.cache.close();
    await this.budgets?.close();
    await this.prisma?.$disconnect();
  }
}

function logAttemptFailure(deployment: Deployment, failure: AttemptFailure): void {
  logger.warn(`${deployment.alias} → ${deployment.name} (${deployment.tier}) failed: ${failure.reason}: ${failure.message}`);
}
