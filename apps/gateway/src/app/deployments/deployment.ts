/**
 * A deployment as the gateway runs it: the configured entry resolved to a wire protocol,
 * tier and target, plus its live health (circuit breaker, latency, last error).
 */
import type { ProtocolAdapter, UpstreamTarget } from '@orcest/providers';
import { CircuitBreaker, type Admission, type Tier } from '@orcest/routing';

export interface Deployment {
  /** Unique within its alias; shown in `x-rainymodel-tried`. */
  readonly name: string;
  readonly alias: string;
  readonly tier: Tier;
  /** Label for `x-rainymodel-upstream`: hf, ollama, openrouter… */
  readonly upstream: string;
  /** Upstream model name, for `x-rainymodel-model`. */
  readonly model: string;
  readonly adapter: ProtocolAdapter;
  readonly target: UpstreamTarget;
  readonly timeoutMs: number;
  readonly streamTimeoutMs: number;
  readonly costPerToken?: number;
  readonly quality?: number;
  readonly description?: string;
  readonly health: DeploymentHealth;
}

export interface LastError {
  readonly reason: string;
  readonly message: string;
  readonly at: string;
}

/** Live state of one deployment. In memory: each replica judges upstreams by what it sees. */
export class DeploymentHealth {
  readonly breaker: CircuitBreaker;
  latencyEwmaMs: number | null = null;
  lastError: LastError | null = null;
  successes = 0;
  failures = 0;

  constructor(settings: { allowedFails: number; cooldownMs: number }) {
    this.breaker = new CircuitBreaker(settings);
  }

  recordLatency(ms: number): void {
    // α = 0.2: a few slow answers move it, one outlier does not.
    this.latencyEwmaMs = this.latencyEwmaMs === null ? ms : this.latencyEwmaMs * 0.8 + ms * 0.2;
  }

  /** A failure the upstream is to blame for: counts against its circuit and becomes its last error. */
  recordFailure(reason: string, message: string, now: number, admission: Admission): void {
    this.breaker.recordFailure(now, admission);
    this.failures++;
    this.lastError = { reason, message, at: new Date(now).toISOString() };
  }
}
