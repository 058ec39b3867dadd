/**
 * Builds the runtime deployments from the validated config once at start and answers
 * "which deployments serve this alias". A bad provider prefix fails start-up with the
 * entry's file and line.
 */
import { ConfigError, type DeploymentMode, type GatewayConfig } from '@orcest/config';
import { adapterFor, describeProvider, embeddingAdapterFor, UnknownProviderError } from '@orcest/providers';
import { classifyTier, orderDeployments, POLICIES, type Policy } from '@orcest/routing';
import { DeploymentHealth, type Deployment } from './deployment';

export class DeploymentRegistry {
  private readonly byAlias = new Map<string, Deployment[]>();
  /** Policy order of each alias, computed once: the config is fixed, only circuit states change. */
  private readonly byAliasAndPolicy = new Map<string, Map<Policy, readonly Deployment[]>>();
  private readonly modes = new Map<string, DeploymentMode>();
  readonly aliases: readonly string[];
  readonly all: readonly Deployment[];

  constructor(config: Pick<GatewayConfig, 'aliases' | 'deployments' | 'router'>) {
    this.aliases = config.aliases;
    for (const alias of config.aliases) this.byAlias.set(alias, []);
    const all: Deployment[] = [];
    for (const spec of config.deployments) {
      let provider;
      try {
        provider = describeProvider(spec.model, spec.apiBase);
      } catch (error) {
        if (error instanceof UnknownProviderError) throw new ConfigError(`${spec.location}: model_list.${spec.index}.litellm_params.model: ${error.message}`);
        throw error;
      }
      const embeddingAdapter = embeddingAdapterFor(provider.protocol);
      if (spec.mode === 'embedding' && embeddingAdapter === undefined) {
        throw new ConfigError(`${spec.location}: model_list.${spec.index}: ${spec.model} is in embedding alias ${spec.alias}, but the ${provider.protocol} protocol has no embeddings API`);
      }
      this.modes.set(spec.alias, spec.mode);
      const siblings = this.byAlias.get(spec.alias) as Deployment[];
      const upstream = spec.upstream ?? provider.upstream;
      const deployment: Deployment = {
        name: uniqueName(spec.id ?? upstream, siblings),
        alias: spec.alias,
        tier: classifyTier(upstream, spec.tier),
        upstream,
        model: provider.upstreamModel,
        adapter: adapterFor(provider.protocol),
        mode: spec.mode,
        embeddingAdapter,
        outputVectorSize: spec.outputVectorSize,
        target: { baseUrl: provider.baseUrl, apiKey: spec.apiKey, model: provider.upstreamModel },
        timeoutMs: spec.timeoutMs,
        streamTimeoutMs: spec.streamTimeoutMs,
        costPerToken: spec.inputCostPerToken !== undefined || spec.outputCostPerToken !== undefined ? (spec.inputCostPerToken ?? 0) + (spec.outputCostPerToken ?? 0) : undefined,
        quality: spec.quality,
        description: spec.description,
        health: new DeploymentHealth(config.router),
      };
      siblings.push(deployment);
      all.push(deployment);
    }
    this.all = all;
    for (const [alias, deployments] of this.byAlias) {
      this.byAliasAndPolicy.set(alias, new Map(POLICIES.map((policy) => [policy, Object.freeze(orderDeployments(policy, deployments))])));
    }
  }

  has(alias: string): boolean {
    return this.byAlias.has(alias);
  }

  /** What an alias serves: chat, or embeddings (an alias whose every deployment was skipped counts as chat). */
  modeOf(alias: string): DeploymentMode {
    return this.modes.get(alias) ?? 'chat';
  }

  /** Deployments of an alias in config order (empty when every one was skipped). */
  forAlias(alias: string): readonly Deployment[] {
    return this.byAlias.get(alias) ?? [];
  }

  /** Deployments of an alias in the order `policy` walks them (tiers it excludes left out). */
  ordered(alias: string, policy: Policy): readonly Deployment[] {
    return this.byAliasAndPolicy.get(alias)?.get(policy) ?? [];
  }
}

function uniqueName(base: string, siblings: readonly Deployment[]): string {
  let name = base;
  for (let n = 2; siblings.some((d) => d.name === name); n++) name = `${base}-${n}`;
  return name;
}
