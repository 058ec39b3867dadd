/**
 * Per-deployment circuit breaker, LiteLLM's `allowed_fails` / `cooldown_time` semantics:
 * `allowedFails` failures within `cooldownMs` open the circuit for `cooldownMs`. When the
 * cooldown ends the circuit is half-open: exactly one request (the probe) goes through; its
 * success closes the circuit, its failure opens it for another full cooldown. Pure state
 * machine: time comes in as an argument, so tests need no clock.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface BreakerSettings {
  readonly allowedFails: number;
  readonly cooldownMs: number;
}

/** What `tryAcquire` granted: a normal attempt, the half-open probe, or nothing. */
export type Admission = 'normal' | 'probe' | 'rejected';

/**
 * What the fallback walk and the health views need of a breaker. `CircuitBreaker` below is the
 * default (one process judges on its own); the gateway's fleet breaker shares state between
 * replicas through Redis and may need a round trip to grant the half-open probe, so
 * `tryAcquire` may answer with a promise — only then, never for a closed circuit.
 */
export interface Breaker {
  state(now: number): CircuitState;
  /** When the current cooldown ends (0 when closed). */
  readonly cooldownEndsAt: number;
  isAvailable(now: number): boolean;
  tryAcquire(now: number): Admission | Promise<Admission>;
  forceAcquire(): Admission;
  recordSuccess(admission: Admission): void;
  recordFailure(now: number, admission: Admission): void;
  release(admission: Admission): void;
  /** New `allowed_fails`/`cooldown_time` (a config reload): the state stays, later verdicts use them. */
  useSettings(settings: BreakerSettings): void;
}

export class CircuitBreaker implements Breaker {
  /** Times of recent failures, oldest first, at most `allowedFails` kept. */
  private failures: number[] = [];
  private openUntil = 0;
  private probeInFlight = false;

  constructor(private settings: BreakerSettings) {}

  get cooldownMs(): number {
    return this.settings.cooldownMs;
  }

  get allowedFails(): number {
    return this.settings.allowedFails;
  }

  useSettings(settings: BreakerSettings): void {
    this.settings = settings;
  }

  state(now: number): CircuitState {
    if (this.openUntil === 0) return 'closed';
    return now < this.openUntil ? 'open' : 'half_open';
  }

  /** When the current cooldown ends (0 when closed). */
  get cooldownEndsAt(): number {
    return this.openUntil;
  }

  /** Whether a request could be admitted now, without taking the probe slot. */
  isAvailable(now: number): boolean {
    const state = this.state(now);
    return state === 'closed' || (state === 'half_open' && !this.probeInFlight);
  }

  tryAcquire(now: number): Admission {
    const state = this.state(now);
    if (state === 'closed') return 'normal';
    if (state === 'open' || this.probeInFlight) return 'rejected';
    this.probeInFlight = true;
    return 'probe';
  }

  /**
   * Admits a request whatever the state: used when every deployment is cooling down and this
   * one recovers first. Counts as the probe, so its outcome closes or re-opens the circuit.
   */
  forceAcquire(): Admission {
    if (this.openUntil === 0) return 'normal';
    this.probeInFlight = true;
    return 'probe';
  }

  recordSuccess(admission: Admission): void {
    if (admission === 'probe') this.probeInFlight = false;
    // Runs on every served request: allocate only when there is something to forget.
    if (this.failures.length > 0) this.failures = [];
    this.openUntil = 0;
  }

  recordFailure(now: number, admission: Admission): void {
    if (admission === 'probe') {
      this.probeInFlight = false;
      this.failures = [];
      this.openUntil = now + this.settings.cooldownMs;
      return;
    }
    const windowStart = now - this.settings.cooldownMs;
    this.failures = this.failures.filter((t) => t > windowStart);
    this.failures.push(now);
    if (this.failures.length > this.settings.allowedFails) this.failures.shift();
    if (this.failures.length >= this.settings.allowedFails) {
      this.failures = [];
      // A failure while already open (a request admitted before it opened) extends the cooldown.
      this.openUntil = Math.max(this.openUntil, now + this.settings.cooldownMs);
    }
  }

  /** The attempt ended without a verdict on the upstream (the client went away): free the probe slot. */
  release(admission: Admission): void {
    if (admission === 'probe') this.probeInFlight = false;
  }

  /**
   * Another judge (a replica elsewhere) opened the circuit for `ms` from `now`: open here until
   * then, or longer if it already was. Recent failures are forgotten, as when it opens here.
   */
  openFor(now: number, ms: number): void {
    this.failures = [];
    this.openUntil = Math.max(this.openUntil, now + ms);
  }

  /** Another judge closed the circuit (its probe succeeded): closed here too. */
  close(): void {
    if (this.failures.length > 0) this.failures = [];
    this.openUntil = 0;
  }
}
