/**
 * A deployment as the gateway runs it: the configured entry resolved to a wire protocol,
 * tier and target, plus its live health (circuit breaker, latency, last error).
 */
import type { DeploymentMode } from '@orcest/config';
import type { EmbeddingAdapter, ProtocolAdapter, UpstreamTarget } from '@orcest/providers';
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
  /** `chat` serves chat (and legacy text) completions; `embedding` serves `/v1/embeddings` only. */
  readonly mode: DeploymentMode;
  /** The protocol's embeddings adapter; undefined for a protocol without embeddings (Anthropic). */
  readonly embeddingAdapter: EmbeddingAdapter | undefined;
  /** `model_info.output_vector_size`: the vector length this deployment is declared to answer with. */
  readonly outputVectorSize: number | undefined;
  readonly target: UpstreamTarget;
  readonly timeoutMs: number;
  readonly streamTimeoutMs: number;
  readonly costPerToken?: number;
  readonly quality?: number;
  readonly description?: string;
  readonly health: DeploymentHealth;
}

/** Hears each verdict and latency sample as it is recorded (routing's sliding windows, routing/routing-state.ts). */
export interface HealthListener {
  verdict(ok: boolean): void;
  latencySampled(): void;
}

export interface LastError {
  readonly reason: string;
  readonly message: string;
  readonly at: string;
}

/**
 * Live state of one deployment. In memory: each replica judges upstreams by what it sees.
 * Written only by an attempt's verdict (`completions/attempt.ts`), once per attempt.
 */
export class DeploymentHealth {
  readonly breaker: CircuitBreaker;
  /**
   * Time until the answer could start going out: the whole answer when not streaming, the
   * first content when streaming (what `x-rainymodel-latency-ms` reports), successful attempts only.
   */
  latencyEwmaMs: number | null = null;
  /** Streams only: time to the first content chunk. */
  firstTokenEwmaMs: number | null = null;
  /** Whole answers only (not streaming): time to the complete answer. */
  totalEwmaMs: number | null = null;
  lastError: LastError | null = null;
  successes = 0;
  failures = 0;
  /** Set once at start by routing; told about what is recorded here, in the same call. */
  listener: HealthListener | undefined = undefined;

  constructor(settings: { allowedFails: number; cooldownMs: number }) {
    this.breaker = new CircuitBreaker(settings);
  }

  /** A stream completed: its time to first content is its latency. */
  recordFirstToken(ms: number): void {
    this.firstTokenEwmaMs = ewma(this.firstTokenEwmaMs, ms);
    this.latencyEwmaMs = ewma(this.latencyEwmaMs, ms);
    this.listener?.latencySampled();
  }

  /** A whole answer arrived: its total time is its latency. */
  recordTotal(ms: number): void {
    this.totalEwmaMs = ewma(this.totalEwmaMs, ms);
    this.latencyEwmaMs = ewma(this.latencyEwmaMs, ms);
    this.listener?.latencySampled();
  }

  /** The attempt's answer was complete: closes the circuit (or keeps it closed). */
  recordSuccess(admission: Admission): void {
    this.breaker.recordSuccess(admission);
    this.successes++;
    this.listener?.verdict(true);
  }

  /** A failure the upstream is to blame for: counts against its circuit and becomes its last error. */
  recordFailure(reason: string, message: string, now: number, admission: Admission): void {
    this.breaker.recordFailure(now, admission);
    this.failures++;
    this.listener?.verdict(false);
    this.lastError = { reason, message, at: new Date(now).toISOString() };
  }
}

/** α = 0.2: a few slow answers move it, one outlier does not. */
function ewma(previous: number | null, sample: number): number {
  return previous === null ? sample : previous * 0.8 + sample * 0.2;
}
