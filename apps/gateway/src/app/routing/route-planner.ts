/**
 * The routing decision for one request, between the policy's order and the fallback walk:
 *
 * 1. the policy's order (computed at start: which tiers, in which order) is the candidate set;
 * 2. deployments whose window cannot hold the estimated prompt plus `max_tokens` are dropped,
 *    with or without a profile; none left → ContextLengthExceededError naming the largest window;
 * 3. with a profile (the request's, else the alias's default) the candidates are scored and
 *    re-ordered best first; without one the policy's order stands, untouched.
 *
 * A profile only re-orders what the policy allowed: it never adds a deployment. Scoring reads
 * memory only (facts, breaker, outcome window, latency EWMA) into a per-alias table allocated
 * at start; per request it allocates the returned order and, with a profile, the ranking header.
 */
import type { RoutingSettings } from '@orcest/config';
import {
  adjustForComplexity,
  CandidateTable,
  classifyComplexity,
  COMPLEXITIES,
  COMPONENTS,
  fitsWindow,
  largestWindow,
  PROFILES,
  rankCandidates,
  resolveWeights,
  scoreCandidates,
  tokensNeeded,
  type Complexity,
  type Component,
  type Profile,
  type RequestShape,
  type Weights,
} from '@orcest/routing';
import type { Deployment } from '../deployments/deployment';
import type { DeploymentRegistry } from '../deployments/deployment-registry';
import { ContextLengthExceededError } from '../errors';
import type { RoutingState } from './routing-state';

export interface RoutePlan {
  /** The order the walk tries. */
  readonly deployments: readonly Deployment[];
  readonly complexity: Complexity;
  readonly profile: Profile | undefined;
  /** `x-rainymodel-ranking`: `<deployment>=<score>` in the order tried (with a profile only). */
  readonly ranking: string | undefined;
}

export interface RankedDeployment {
  readonly deployment: Deployment;
  readonly score: number;
  readonly components: Readonly<Record<Component, number>>;
  readonly available: boolean;
}

type WeightTable = Readonly<Record<Profile, Readonly<Record<Complexity, Weights>>>>;

export class RoutePlanner {
  private readonly tables = new Map<string, CandidateTable>();
  /** Weights as configured, and bent by complexity (balanced, alias defaults): all computed at start. */
  private readonly plain: Readonly<Record<Profile, Weights>>;
  private readonly bent: WeightTable;
  private readonly order: number[] = [];

  constructor(
    registry: DeploymentRegistry,
    private readonly state: RoutingState,
    private readonly settings: RoutingSettings,
    private readonly now: () => number = Date.now,
  ) {
    for (const alias of registry.aliases) this.tables.set(alias, new CandidateTable(Math.max(1, registry.forAlias(alias).length)));
    this.plain = resolveWeights(settings.profiles);
    const bent = {} as Record<Profile, Record<Complexity, Weights>>;
    for (const profile of PROFILES) {
      bent[profile] = {} as Record<Complexity, Weights>;
      for (const complexity of COMPLEXITIES) bent[profile][complexity] = adjustForComplexity(this.plain[profile], complexity);
    }
    this.bent = bent;
  }

  /** The alias's default profile (`router_settings.alias_profiles`), if any. */
  defaultProfile(alias: string): Profile | undefined {
    return this.settings.aliasProfiles[alias];
  }

  plan(alias: string, ordered: readonly Deployment[], requested: Profile | undefined, shape: RequestShape, stream: boolean): RoutePlan {
    const complexity = classifyComplexity(shape);
    const candidates = this.fitting(alias, ordered, shape);
    const fromAlias = requested === undefined ? this.defaultProfile(alias) : undefined;
    const profile = requested ?? fromAlias;
    if (profile === undefined) return { deployments: candidates, complexity, profile, ranking: undefined };
    const weights = profile === 'balanced' || fromAlias !== undefined ? this.bent[profile][complexity] : this.plain[profile];
    const table = this.score(alias, candidates, shape, stream, weights);
    const order = rankCandidates(table, this.order);
    const deployments: Deployment[] = new Array(order.length);
    let ranking = '';
    for (let i = 0; i < order.length; i++) {
      const d = candidates[order[i]];
      deployments[i] = d;
      ranking += (i === 0 ? '' : ',') + d.name + '=' + twoDecimals(table.score[order[i]]);
    }
    return { deployments, complexity, profile, ranking };
  }

  /**
   * `GET /v1/models/rankings`: the order a request of this complexity would try now, with
   * each score's components. No prompt: every window fits.
   */
  rank(alias: string, ordered: readonly Deployment[], profile: Profile, complexity: Complexity, bend: boolean): RankedDeployment[] {
    const shape: RequestShape = { promptTokens: 0, maxTokens: undefined, messageCount: 1, codeBlocks: 0, usesTools: false, structuredOutput: false, reasoningCues: 0 };
    const table = this.score(alias, ordered, shape, false, bend ? this.bent[profile][complexity] : this.plain[profile]);
    const now = this.now();
    return rankCandidates(table, []).map((row) => {
      const components = {} as Record<Component, number>;
      COMPONENTS.forEach((name, i) => (components[name] = table.component(row, i)));
      return { deployment: ordered[row], score: table.score[row], components, available: ordered[row].health.breaker.isAvailable(now) };
    });
  }

  /** Drops the deployments whose window is too small; the same array when all fit (the usual case). */
  private fitting(alias: string, ordered: readonly Deployment[], shape: RequestShape): readonly Deployment[] {
    const needed = tokensNeeded(shape.promptTokens, shape.maxTokens);
    let fit = 0;
    for (let i = 0; i < ordered.length; i++) if (fitsWindow(this.state.of(ordered[i]).facts.window, needed)) fit++;
    if (fit === ordered.length) return ordered;
    if (fit === 0) {
      throw new ContextLengthExceededError(alias, needed, largestWindow(ordered.map((d) => this.state.of(d).facts.window)) ?? 0);
    }
    return ordered.filter((d) => fitsWindow(this.state.of(d).facts.window, needed));
  }

  private score(alias: string, candidates: readonly Deployment[], shape: RequestShape, stream: boolean, weights: Weights): CandidateTable {
    const table = this.tables.get(alias) as CandidateTable;
    const now = this.now();
    table.clear();
    for (let i = 0; i < candidates.length; i++) {
      const d = candidates[i];
      const routing = this.state.of(d);
      const facts = routing.facts;
      const reliability = d.health.breaker.state(now) === 'open' ? 0 : routing.outcomes.reliability(now);
      // A figure older than the reliability window no longer says much: scored as unseen, so the
      // deployment is tried (and measured) again rather than starved by one slow spell.
      const latency = now - routing.sampledAt > this.settings.reliabilityWindowMs ? NaN : observedLatencyMs(d, stream);
      table.add(facts.quality ?? NaN, latency, reliability, facts.inputCostPerToken ?? NaN, facts.outputCostPerToken ?? NaN, facts.window ?? NaN, routing.outcomes.attempts(now) > 0);
    }
    scoreCandidates(table, shape, weights);
    return table;
  }
}

/** `x.xx` for a score in 0..1, without toFixed's general-purpose formatting. */
function twoDecimals(score: number): string {
  const hundredths = Math.round(score * 100);
  const rest = hundredths % 100;
  return `${(hundredths - rest) / 100}.${rest < 10 ? '0' : ''}${rest}`;
}

/**
 * The live latency figure that matters for this kind of request: time to first token for a
 * stream, time to the whole answer otherwise; the other kind's figure when this kind was never
 * served (better than nothing); NaN before the first answer.
 */
function observedLatencyMs(deployment: Deployment, stream: boolean): number {
  const health = deployment.health;
  return (stream ? health.firstTokenEwmaMs : health.totalEwmaMs) ?? health.latencyEwmaMs ?? NaN;
}
