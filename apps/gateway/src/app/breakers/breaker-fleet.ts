/**
 * Shares circuit breaker decisions between the gateway's replicas through Redis (REDIS_URL):
 * the keys, the scripts and the channel behind fleet-breaker.ts.
 *
 * - `rm:breaker:<identity>:open` exists while a circuit is open, expiring with the cooldown
 *   (PX: no clocks compared between machines; a replica hears "open for N ms more").
 * - `rm:breaker:<identity>:probe` is the half-open probe lock (SET NX PX).
 * - Channel `rm:breaker`: `open <identity> <ms> <replica>` and `closed <identity> <replica>`.
 *   Pub/sub, not polling: a replica hears an opening within a Redis round trip (measured by
 *   apps/gateway/src/e2e/replicas.e2e-spec.ts; milliseconds on loopback), and a closed circuit
 *   costs no Redis traffic at all. A message missed while disconnected is made up for on
 *   reconnection: every breaker reads its `open` key again.
 *
 * Redis away: the fleet says so once in the log and in /health, every breaker works on its
 * own, and when Redis answers again the breakers catch up and sharing resumes.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { untilReady } from '../limits/redis-limit-store';
import type { BreakerSettings } from '@orcest/routing';
import { FleetBreaker, type BreakerChannel } from './fleet-breaker';

const CHANNEL = 'rm:breaker';

/** KEYS: open, probe. ARGV: ms, replica, channel, identity. Opens for ms unless already open longer; frees the probe lock. */
const OPEN = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1]) end
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[3], 'open ' .. ARGV[4] .. ' ' .. ARGV[1] .. ' ' .. ARGV[2])
return 1`;

/** KEYS: open, probe. ARGV: replica, channel, identity. */
const CLOSE = `
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('PUBLISH', ARGV[2], 'closed ' .. ARGV[3] .. ' ' .. ARGV[1])
return 1`;

/** KEYS: probe. ARGV: replica, ttl ms. -1 when taken, else the holder's time left. */
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -1 end
return redis.call('PTTL', KEYS[1])`;

/** KEYS: probe. ARGV: replica. Frees the lock only if this replica holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export type BreakerSharing =
  | { readonly mode: 'local' }
  | { readonly mode: 'shared' }
  /** REDIS_URL is set but Redis does not answer: each replica judges on its own meanwhile. */
  | { readonly mode: 'local'; readonly reason: string; readonly since: string };

export interface FleetLog {
  log(message: string): void;
  warn(message: string): void;
}

/** Heard from another replica, or a change of sharing (tests wait on these, and measure how fast an opening spreads). */
export type FleetEvent =
  | { readonly kind: 'open'; readonly identity: string; readonly ms: number }
  | { readonly kind: 'closed'; readonly identity: string }
  | { readonly kind: 'shared' }
  | { readonly kind: 'local'; readonly reason: string };

export class BreakerFleet implements BreakerChannel {
  /** Names this process in the lock and the messages (its own messages are not applied twice). */
  readonly replica = randomBytes(6).toString('hex');
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly breakers = new Map<string, FleetBreaker>();
  private readonly listeners: Array<(event: FleetEvent) => void> = [];
  private downSince: number | undefined;
  private everReady = false;
  private lastError: string | undefined;
  private closed = false;

  constructor(
    url: string,
    private readonly logger: FleetLog,
  ) {
    // No offline queue: while Redis is away a call fails at once and the breaker stays local,
    // rather than a request waiting for a reconnection.
    // A command waits at most 1 s (the probe lock is the only one a request waits for, and only
    // for a half-open circuit): shorter timers fired in a busy process before an answer already in was read.
    const options = { maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 2000, enableOfflineQueue: false, lazyConnect: false } as const;
    this.redis = new Redis(url, options);
    // Subscribed here on every 'ready', not by ioredis: its automatic re-subscription on a
    // reconnection leaves a promise nobody handles, and a connection closed during it crashed
    // the process with an unhandled rejection.
    this.subscriber = new Redis(url, { ...options, commandTimeout: undefined, enableOfflineQueue: true, autoResubscribe: false });
    this.subscriber.on('ready', () => this.subscriber.subscribe(CHANNEL).catch(() => undefined));
    for (const connection of [this.redis, this.subscriber]) {
      connection.on('ready', () => {
        this.lastError = undefined;
        this.connected();
      });
      // 'error' comes first (and may come alone); 'close' is when the connection is really gone.
      connection.on('error', (error: Error) => (this.lastError = error.message));
      connection.on('close', () => {
        this.disconnected(this.lastError ?? 'connection closed');
        this.lastError = undefined;
      });
    }
    this.subscriber.on('message', (_channel: string, message: string) => this.heard(message));
  }

  /** Whether decisions are shared right now (Redis answers). */
  get shared(): boolean {
    return !this.closed && this.everReady && this.downSince === undefined;
  }

  status(): BreakerSharing {
    if (this.shared) return { mode: 'shared' };
    return { mode: 'local', reason: 'Redis unavailable', since: new Date(this.downSince ?? Date.now()).toISOString() };
  }

  /** Resolves once both connections are up, or after `waitMs` (the gateway waits before taking requests). */
  async ready(waitMs = 2000): Promise<void> {
    await Promise.all([untilReady(this.redis, waitMs), untilReady(this.subscriber, waitMs)]);
  }

  /** A new deployment's breaker, registered to hear the other replicas. */
  breakerFor(identity: string, settings: BreakerSettings & { readonly requestTimeoutMs: number }): FleetBreaker {
    const breaker = new FleetBreaker(identity, settings, this);
    this.breakers.set(identity, breaker);
    if (this.shared) void this.catchUp([breaker]);
    return breaker;
  }

  /** After a config reload: forget the breakers of deployments no table uses any more. */
  retain(identities: ReadonlySet<string>): void {
    for (const identity of this.breakers.keys()) if (!identities.has(identity)) this.breakers.delete(identity);
  }

  onEvent(listener: (event: FleetEvent) => void): void {
    this.listeners.push(listener);
  }

  claimProbe(identity: string, ttlMs: number): Promise<number> {
    return this.redis.eval(CLAIM, 1, key(identity, 'probe'), this.replica, Math.max(1, Math.round(ttlMs))) as Promise<number>;
  }

  announceOpen(identity: string, ms: number): void {
    this.run(this.redis.eval(OPEN, 2, key(identity, 'open'), key(identity, 'probe'), Math.max(1, Math.round(ms)), this.replica, CHANNEL, identity));
  }

  announceClosed(identity: string): void {
    this.run(this.redis.eval(CLOSE, 2, key(identity, 'open'), key(identity, 'probe'), this.replica, CHANNEL, identity));
  }

  releaseProbe(identity: string): void {
    this.run(this.redis.eval(RELEASE, 1, key(identity, 'probe'), this.replica));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.redis.disconnect();
    this.subscriber.disconnect();
  }

  private run(command: Promise<unknown>): void {
    // A lost announcement leaves the others to judge on their own; the connection's own events report the outage.
    command.catch(() => undefined);
  }

  private heard(message: string): void {
    const [kind, identity, third, fourth] = message.split(' ');
    const fromReplica = kind === 'open' ? fourth : third;
    if (fromReplica === this.replica) return;
    const breaker = this.breakers.get(identity);
    if (breaker === undefined) return;
    if (kind === 'open') {
      const ms = Number(third);
      if (!(ms > 0)) return;
      breaker.openedElsewhere(ms);
      this.emit({ kind: 'open', identity, ms });
    } else if (kind === 'closed') {
      breaker.closedElsewhere();
      this.emit({ kind: 'closed', identity });
    }
  }

  private emit(event: FleetEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private connected(): void {
    // Both connections must be up: one to announce, the other to hear.
    if (this.redis.status !== 'ready' || this.subscriber.status !== 'ready' || this.shared) return;
    if (this.downSince !== undefined) this.logger.log('circuit breakers: Redis answers again; breaker state is shared between replicas again');
    else if (!this.everReady) this.logger.log('circuit breakers: shared between replicas through Redis');
    this.everReady = true;
    this.downSince = undefined;
    this.lastError = undefined;
    this.emit({ kind: 'shared' });
    // What was announced while this replica was not listening.
    void this.catchUp([...this.breakers.values()]);
  }

  private disconnected(reason: string): void {
    if (this.closed || this.downSince !== undefined) return;
    this.downSince = Date.now();
    this.logger.warn(`circuit breakers: Redis unavailable (${reason}); each replica judges its upstreams on its own until it answers again`);
    this.emit({ kind: 'local', reason });
  }

  /** Reads the `open` keys of these breakers and opens the ones another replica opened (one retry if the read fails). */
  private async catchUp(breakers: readonly FleetBreaker[], retry = true): Promise<void> {
    if (breakers.length === 0) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const breaker of breakers) pipeline.pttl(key(breaker.identity, 'open'));
      const results = (await pipeline.exec()) ?? [];
      results.forEach(([error, ms], i) => {
        if (error || typeof ms !== 'number' || ms <= 0) return;
        breakers[i].openedElsewhere(ms);
        this.emit({ kind: 'open', identity: breakers[i].identity, ms });
      });
    } catch {
      // Away again: the next reconnection catches up. Slow: once more, a moment later.
      if (retry && this.shared) setTimeout(() => void this.catchUp(breakers, false), 1000).unref();
    }
  }
}

function key(identity: string, part: 'open' | 'probe'): string {
  return `rm:breaker:${identity}:${part}`;
}
