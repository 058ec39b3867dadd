/**
 * Routing's own per-deployment state, next to the registry: the resolved facts (replaced as a
 * whole when the catalogue changes), the sliding window of attempt outcomes behind the
 * reliability score, and when the latency figure last moved. Built once at start; a request
 * reads it, never the database.
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
  private readonly byDeployment = new Map<Deployment, DeploymentRouting>();
  private readonly specs = new Map<Deployment, DeploymentSpec>();

  constructor(
    registry: DeploymentRegistry,
    specs: readonly DeploymentSpec[],
    readonly settings: RoutingSettings,
    catalogue: Catalogue,
    private readonly names: Readonly<Record<string, string>>,
    now: () => number = Date.now,
  ) {
    // The registry builds one deployment per spec, in config order.
    registry.all.forEach((deployment, i) => {
      const spec = specs[i];
      this.specs.set(deployment, spec);
      const routing = new DeploymentRouting(resolveFacts(spec, deployment.tier, deployment.model, catalogue, names), new OutcomeWindow(settings.reliabilityWindowMs), now);
      deployment.health.listener = routing;
      this.byDeployment.set(deployment, routing);
    });
  }

  of(deployment: Deployment): DeploymentRouting {
    return this.byDeployment.get(deployment) as DeploymentRouting;
  }

  /** A new catalogue: every deployment's facts are resolved again (at refresh, not per request). */
  useCatalogue(catalogue: Catalogue): void {
    for (const [deployment, routing] of this.byDeployment) {
      routing.facts = resolveFacts(this.specs.get(deployment) as DeploymentSpec, deployment.tier, deployment.model, catalogue, this.names);
    }
  }
}
