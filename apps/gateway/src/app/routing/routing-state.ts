/**
 * Routing's own per-deployment state, next to the registry: the resolved facts (replaced as a
 * whole when the catalogue changes), the sliding window of attempt outcomes behind the
 * reliability score, and when the latency figure last moved. Built with each routing table (at
 * start and at each config reload); a request reads it, never the database.
 *
 * A reload builds a new state from the previous one: a deployment whose identity did not change
 * keeps its outcome window and latency stamp; its facts are resolved again from the new entry.
 * Deployments of older tables stay readable (`of`) while requests routed on them finish: the
 * lookup is a WeakMap shared by every table, so an old table's entries go with its deployments.
 *
 * Each deployment's health tells its DeploymentRouting about every verdict the circuit
 * breaker hears and every latency sample, in the same call (O(1) per attempt), stamped with
 * routing's clock.
 */
import type { Catalogue } from '@orcest/catalogue';
import type { DeploymentSpec, RoutingSettings } from '@orcest/config';
import { OutcomeWindow } from '@orcest/routing';
import type { Deployment, HealthListener } from '../deployments/deployment';
import type { DeploymentRegistry } from '../deployments/deployment-registry';
import { resolveFacts, type DeploymentFacts } from './deployment-facts';

export class DeploymentRouting implements HealthListener {
  /** When a latency sample last arrived; -Infinity before the first. */
  sampledAt = -Infinity;

  constructor(
    public facts: DeploymentFacts,
    readonly outcomes: OutcomeWindow,
    private readonly now: () => number,
  ) {}

  verdict(ok: boolean): void {
    this.outcomes.record(this.now(), ok);
  }

  latencySampled(): void {
    this.sampledAt = this.now();
  }
}

export class RoutingState {
  /** Every table's deployments (see the module comment). */
  private readonly byDeployment: WeakMap<Deployment, DeploymentRouting>;
  /** This table's deployments, for a catalogue refresh; and by identity, for the next reload. */
  private readonly current: Array<{ deployment: Deployment; spec: DeploymentSpec; routing: DeploymentRouting }> = [];
  private readonly byIdentity = new Map<string, DeploymentRouting>();

  constructor(
    registry: DeploymentRegistry,
    specs: readonly DeploymentSpec[],
    readonly settings: RoutingSettings,
    catalogue: Catalogue,
    private readonly names: Readonly<Record<string, string>>,
    now: () => number = Date.now,
    previous?: RoutingState,
  ) {
    this.byDeployment = previous?.byDeployment ?? new WeakMap();
    // The registry builds one deployment per spec, in config order.
    registry.all.forEach((deployment, i) => {
      const spec = specs[i];
      const before = previous?.byIdentity.get(deployment.identity);
      const outcomes = before && before.outcomes.windowMs === settings.reliabilityWindowMs ? before.outcomes : new OutcomeWindow(settings.reliabilityWindowMs);
      const routing = new DeploymentRouting(resolveFacts(spec, deployment.tier, deployment.model, catalogue, names), outcomes, now);
      if (before) routing.sampledAt = before.sampledAt;
      // The health may be carried over too: from now on it tells this table's routing.
      deployment.health.listener = routing;
      this.byDeployment.set(deployment, routing);
      this.byIdentity.set(deployment.identity, routing);
      this.current.push({ deployment, spec, routing });
    });
  }

  of(deployment: Deployment): DeploymentRouting {
    return this.byDeployment.get(deployment) as DeploymentRouting;
  }

  /** A new catalogue: every deployment's facts are resolved again (at refresh, not per request). */
  useCatalogue(catalogue: Catalogue): void {
    for (const { deployment, spec, routing } of this.current) {
      routing.facts = resolveFacts(spec, deployment.tier, deployment.model, catalogue, this.names);
    }
  }
}
