/**
 * A deployment's circuit breaker when replicas share breaker state (REDIS_URL): the local
 * `CircuitBreaker` decides, the fleet (breaker-fleet.ts) spreads its decisions.
 *
 * - Each replica counts its own failures (allowed_fails, reset by a success, as on one
 *   replica). When the circuit opens here — or a probe fails here — the cooldown is announced,
 *   and every replica holds the circuit open for the same remaining time.
 * - Half-open: the one probe is fleet-wide. Taking it means taking a Redis lock (SET NX PX,
 *   expiring after the request deadline, so a replica that dies mid-probe frees it); a replica
 *   that loses the race treats the circuit as taken until the lock expires or the verdict
 *   arrives. The probe's success closes the circuit everywhere; its failure re-opens it.
 * - Closed circuits never touch Redis: a served request costs nothing extra. Only opening,
 *   closing and the half-open probe talk to Redis, and none of it delays a response except the
 *   probe lock (one round trip, bounded by the command timeout).
 * - Redis away: every call here works on the local breaker alone (the fleet says so in the log
 *   and /health), and sharing resumes when Redis is back.
 */
import { CircuitBreaker, type Admission, type Breaker, type BreakerSettings, type CircuitState } from '@orcest/routing';

/** What a fleet breaker asks of the fleet (breaker-fleet.ts). */
export interface BreakerChannel {
  readonly shared: boolean;
  /** Takes the fleet-wide probe lock: -1 when taken, else how long (ms) another replica still holds it. */
  claimProbe(identity: string, ttlMs: number): Promise<number>;
  announceOpen(identity: string, ms: number): void;
  announceClosed(identity: string): void;
  releaseProbe(identity: string): void;
}

export class FleetBreaker implements Breaker {
  private readonly local: CircuitBreaker;
  /** A replica elsewhere holds the half-open probe until then (0: nobody we know of). */
  private probeElsewhereUntil = 0;
  private probeTtlMs: number;

  constructor(
    readonly identity: string,
    settings: BreakerSettings & { readonly requestTimeoutMs: number },
    private readonly channel: BreakerChannel,
    private readonly now: () => number = Date.now,
  ) {
    this.local = new CircuitBreaker(settings);
    this.probeTtlMs = settings.requestTimeoutMs;
  }

  state(now: number): CircuitState {
    return this.local.state(now);
  }

  get cooldownEndsAt(): number {
    return this.local.cooldownEndsAt;
  }

  isAvailable(now: number): boolean {
    if (!this.local.isAvailable(now)) return false;
    return !(this.channel.shared && now < this.probeElsewhereUntil && this.local.state(now) === 'half_open');
  }

  tryAcquire(now: number): Admission | Promise<Admission> {
    const admission = this.local.tryAcquire(now);
    if (admission !== 'probe' || !this.channel.shared) return admission;
    return this.channel.claimProbe(this.identity, this.probeTtlMs).then(
      (heldForMs) => {
        if (heldForMs < 0) return 'probe';
        this.local.release('probe');
        // On the caller's clock, like every time this breaker is given.
        this.probeElsewhereUntil = now + heldForMs;
        return 'rejected';
      },
      // Redis failed mid-claim: this replica probes on its own, as it would without Redis.
      () => 'probe',
    );
  }

  /** Every deployment cooling down, this one first to recover: tried anyway, fleet lock or not. */
  forceAcquire(): Admission {
    return this.local.forceAcquire();
  }

  recordSuccess(admission: Admission): void {
    const wasOpen = this.local.cooldownEndsAt !== 0;
    this.local.recordSuccess(admission);
    if (wasOpen) {
      this.probeElsewhereUntil = 0;
      if (this.channel.shared) this.channel.announceClosed(this.identity);
    } else if (admission === 'probe' && this.channel.shared) this.channel.releaseProbe(this.identity);
  }

  recordFailure(now: number, admission: Admission): void {
    const before = this.local.cooldownEndsAt;
    this.local.recordFailure(now, admission);
    const after = this.local.cooldownEndsAt;
    if (!this.channel.shared) return;
    if (after > before) this.channel.announceOpen(this.identity, after - now);
    else if (admission === 'probe') this.channel.releaseProbe(this.identity);
  }

  release(admission: Admission): void {
    this.local.release(admission);
    if (admission === 'probe' && this.channel.shared) this.channel.releaseProbe(this.identity);
  }

  useSettings(settings: BreakerSettings & { readonly requestTimeoutMs?: number }): void {
    this.local.useSettings(settings);
    if (settings.requestTimeoutMs !== undefined) this.probeTtlMs = settings.requestTimeoutMs;
  }

  /** Another replica opened it: `ms` of cooldown left. */
  openedElsewhere(ms: number): void {
    this.probeElsewhereUntil = 0;
    this.local.openFor(this.now(), ms);
  }

  /** Another replica's probe succeeded. */
  closedElsewhere(): void {
    this.probeElsewhereUntil = 0;
    this.local.close();
  }
}
