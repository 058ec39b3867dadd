/**
 * Routing's own per-deployment state, next to the registry: the resolved facts (replaced as a
 * whole when the catalogue changes), the sliding window of attempt outcomes behind the
 * reliability score, and when the latency figure last moved. Built once at start; a request
 * reads it, never the database.
 *
 * Outcomes come from the deployment's health counters, which the fallback walk bumps on every
 * verdict the circuit breaker hears: before a deployment is scored, the verdicts since the
 * last look are added to its window (O(1), no hook in the walk). They are stamped with the
 * time of that look, so a failure can linger in the window for up to the gap between two
 * routed requests of its alias.
 */
import type { Catalogue } from '@orcest/catalogue';
import type { DeploymentSpec, RoutingSettings } from '@orcest/config';
import { OutcomeWindow } from '@orcest/routing';
import type { Deployment, DeploymentHealth } from '../deployments/deployment';
import type { DeploymentRegistry } from '../deployments/deployment-registry';
import { resolveFacts, type DeploymentFacts } from './deployment-facts';

export class DeploymentRouting {
  private seenSuccesses = 0;
  private seenFailures = 0;
  private seenLatency: number | null = null;
  /** When the latency EWMA last changed (a new sample arrived); -Infinity before the first. */
  sampledAt = -Infinity;

  constructor(
    public facts: DeploymentFacts,
    readonly outcomes: OutcomeWindow,
  ) {}

  /** Brings the outcome window and the sample time up to date with the health counters. */
  sync(health: DeploymentHealth, now: number): void {
    if (health.successes !== this.seenSuccesses) {
      this.outcomes.record(now, true, health.successes - this.seenSuccesses);
      this.seenSuccesses = health.successes;
    }
    if (health.failures !== this.seenFailures) {
      this.outcomes.record(now, false, health.failures - this.seenFailures);
      this.seenFailures = health.failures;
    }
    if (health.latencyEwmaMs !== this.seenLatency) {
      this.seenLatency = health.latencyEwmaMs;
      this.sampledAt = now;
    }
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
  ) {
    // The registry builds one deployment per spec, in config order.
    registry.all.forEach((deployment, i) => {
      const spec = specs[i];
      this.specs.set(deployment, spec);
      this.byDeployment.set(deployment, new DeploymentRouting(resolveFacts(spec, deployment.tier, deployment.model, catalogue, names), new OutcomeWindow(settings.reliabilityWindowMs)));
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
