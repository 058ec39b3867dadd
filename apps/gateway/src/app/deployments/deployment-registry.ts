/**
 * Builds the runtime deployments from the validated config (at start, and again for each
 * config reload: routing-table/) and answers "which deployments serve this alias". A bad
 * provider prefix fails start-up (or the reload) with the entry's file and line.
 */
import { ConfigError, type DeploymentMode, type GatewayConfig } from '@orcest/config';
import { adapterFor, describeProvider, embeddingAdapterFor, UnknownProviderError } from '@orcest/providers';
import { CircuitBreaker, classifyTier, orderDeployments, POLICIES, type Policy } from '@orcest/routing';
import { deploymentIdentity } from './deployment-identity';
import { DeploymentHealth, type Deployment } from './deployment';

/** The live health of the deployment with this identity: carried over from a previous table, or new. */
export type HealthSource = (identity: string) => DeploymentHealth;

export class DeploymentRegistry {
  private readonly byAlias = new Map<string, Deployment[]>();
  /** Policy order of each alias, computed once: the config is fixed, only circuit states change. */
  private readonly byAliasAndPolicy = new Map<string, Map<Policy, readonly Deployment[]>>();
  private readonly modes = new Map<string, DeploymentMode>();
  readonly aliases: readonly string[];
  readonly all: readonly Deployment[];
  private readonly byIdentity = new Map<string, Deployment>();

  constructor(
    config: Pick<GatewayConfig, 'aliases' | 'deployments' | 'router'>,
    healthOf: HealthSource = () => new DeploymentHealth(new CircuitBreaker(config.router)),
  ) {
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
      const identity = uniqueIdentity(deploymentIdentity({ alias: spec.alias, model: spec.model, baseUrl: provider.baseUrl, apiKey: spec.apiKey }), this.byIdentity);
      const deployment: Deployment = {
        name: uniqueName(spec.id ?? upstream, siblings),
        identity,
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
        health: healthOf(identity),
      };
      this.byIdentity.set(identity, deployment);
      siblings.push(deployment);
      all.push(deployment);
    }
    this.all = all;
    for (const [alias, deployments] of this.byAlias) {
      this.byAliasAndPolicy.set(alias, new Map(POLICIES.map((policy) => [policy, Object.freeze(orderDeployments(policy, deployments))])));
    }
  }

  /** The deployment with this identity, if this config has it (a reload carries its health over). */
  withIdentity(identity: string): Deployment | undefined {
    return this.byIdentity.get(identity);
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

/** Two entries alike in every identifying part (an alias listing one upstream twice) stay two deployments. */
function uniqueIdentity(base: string, taken: ReadonlyMap<string, Deployment>): string {
  let identity = base;
  for (let n = 2; taken.has(identity); n++) identity = `${base}#${n}`;
  return identity;
}
