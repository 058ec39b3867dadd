/**
 * Everything the gateway builds from the YAML file, as one value: the deployments, routing's
 * state and planner, the completion pipeline and embeddings service that walk them, and the
 * setup hints. A config reload
 * builds a whole new table and swaps it in (live-routing-table.ts); a request takes the table
 * in force when it starts and keeps it to the end, so it never sees half of two configs.
 *
 * A new table is built from the one before it: a deployment whose identity is unchanged
 * (deployments/deployment-identity.ts) keeps its health (breaker, latency, last error) and its
 * reliability window; a new one starts fresh, with a breaker from `breakerFor` (local, or
 * shared by the replicas).
 */
import type { Catalogue } from '@orcest/catalogue';
import type { GatewayConfig, RouterSettings } from '@orcest/config';
import type { UpstreamClient } from '@orcest/providers';
import type { Breaker } from '@orcest/routing';
import type { AttemptFailedListener } from '../completions/attempt';
import type { CacheCounters } from '../cache/cache-counters';
import type { CacheStore } from '../cache/cache-store';
import { ResponseCache } from '../cache/response-cache';
import { CompletionPipeline } from '../completions/completion-pipeline';
import { FallbackWalk } from '../completions/fallback-walk';
import { EmbeddingsService } from '../embeddings/embeddings.service';
import type { KnowledgeAgentClient } from '../knowledge/knowledge-agent-client';
import { KnowledgeStep } from '../knowledge/knowledge-step';
import { DeploymentHealth } from '../deployments/deployment';
import { DeploymentRegistry } from '../deployments/deployment-registry';
import { ModelNames } from '../deployments/model-names';
import { RoutePlanner } from '../routing/route-planner';
import { RoutingState } from '../routing/routing-state';
import { UpstreamSetup } from '../setup/upstream-setup';

/** What a table is built with besides the config: the parts that live as long as the process. */
export interface TableParts {
  readonly client: UpstreamClient;
  /** The catalogue in force now (it is refreshed on its own schedule). */
  readonly catalogue: () => Catalogue;
  /** A new deployment's breaker: local, or shared by the replicas (breakers/). */
  readonly breakerFor: (identity: string, settings: RouterSettings) => Breaker;
  readonly routingClock: () => number;
  /** Cached answers, kept across reloads (a table's ResponseCache keys them by its aliases' models). */
  readonly cacheStore: CacheStore;
  /** What the cache did, per alias: counted across reloads (/metrics counters never go back). */
  readonly cacheCounters: CacheCounters;
  readonly cacheClock: () => number;
  readonly knowledgeClient: KnowledgeAgentClient;
  readonly warn: (message: string) => void;
  readonly onAttemptFailed?: AttemptFailedListener;
}

export class RoutingTable {
  readonly registry: DeploymentRegistry;
  readonly routing: RoutingState;
  readonly planner: RoutePlanner;
  readonly setup: UpstreamSetup;
  /** Client model names → aliases (`model_aliases`). */
  readonly modelNames: ModelNames;
  /** Knowledge context per alias (`model_info.knowledge`, KNOWLEDGE_AGENT_URL). */
  readonly knowledge: KnowledgeStep;
  /** This config's cache policy over the shared store (per-alias settings, model fingerprints). */
  readonly cache: ResponseCache;
  /** Routes and walks a request of any client dialect over this table's deployments. */
  readonly completions: CompletionPipeline;
  /** Embeddings over this table's deployments (vector lengths learnt per deployment, so per table). */
  readonly embeddings: EmbeddingsService;
  /** How many of its deployments kept the health of the table before it. */
  readonly carriedOver: number;

  constructor(
    /** The start-up config with this table's YAML part in it. */
    readonly config: GatewayConfig,
    parts: TableParts,
    /** When it was swapped in (ms since epoch). */
    readonly loadedAt: number,
    previous?: RoutingTable,
  ) {
    const carried: DeploymentHealth[] = [];
    this.registry = new DeploymentRegistry(config, (identity) => {
      const before = previous?.registry.withIdentity(identity)?.health;
      if (before === undefined) return new DeploymentHealth(parts.breakerFor(identity, config.router));
      carried.push(before);
      return before;
    });
    this.carriedOver = carried.length;
    this.setup = new UpstreamSetup(config, this.registry);
    this.routing = new RoutingState(this.registry, config.deployments, config.routing, parts.catalogue(), config.catalogue?.names ?? {}, parts.routingClock, previous?.routing);
    this.planner = new RoutePlanner(this.registry, this.routing, config.routing, parts.routingClock);
    const walk = new FallbackWalk(config.router, parts.onAttemptFailed);
    this.modelNames = new ModelNames(config.aliases, config.modelAliases);
    this.cache = new ResponseCache(config.cache, config.deployments, parts.cacheStore, parts.cacheCounters, parts.cacheClock);
    this.knowledge = new KnowledgeStep(config.knowledge, parts.knowledgeClient, parts.warn);
    this.completions = new CompletionPipeline(this.registry, walk, parts.client, config.router, this.planner, this.modelNames, this.knowledge, this.cache);
    this.embeddings = new EmbeddingsService(this.registry, walk, parts.client, config.router);
    // Last, once nothing can refuse this config: the kept breakers take the new allowed_fails/cooldown.
    for (const health of carried) health.breaker.useSettings(config.router);
  }
}
