/**
 * Routing's own per-deployment state, next to the registry: the resolved facts (replaced as a
 * whole when the catalogue changes) and the sliding window of attempt outcomes behind the
 * reliability score. Built once at start; a request reads it, never the database.
 */
import type { Catalogue } from '@orcest/catalogue';
import type { DeploymentSpec, RoutingSettings } from '@orcest/config';
import { OutcomeWindow } from '@orcest/routing';
import type { Deployment } from '../deployments/deployment';
import type { DeploymentRegistry } from '../deployments/deployment-registry';
import { resolveFacts, type DeploymentFacts } from './deployment-facts';

export class DeploymentRouting {
  constructor(
    public facts: DeploymentFacts,
    readonly outcomes: OutcomeWindow,
  ) {}
}

export class RoutingState {
  private readonly byDeployment = new Map<Deployment, DeploymentRouting>();
  private readonly specs = new Map<Deployment, DeploymentSpec>();

  constructor(
    registry: DeploymentRegistry,
    specs: readonly DeploymentSpec[],
    settings: RoutingSettings,
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

  /** Told about every attempt verdict the breaker hears (success or failure the upstream is to blame for). */
  recordOutcome(deployment: Deployment, now: number, ok: boolean): void {
    this.byDeployment.get(deployment)?.outcomes.record(now, ok);
  }
}
