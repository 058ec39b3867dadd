/**
 * The limit counters in Redis, shared by every gateway replica: one hash per key and window
 * (`rm:limit:<key id>:<window>`, fields `r` and `t`), expiring after two windows. Admitting
 * a request is one round trip: a Lua script counts it, decides, and reserves its tokens
 * atomically, so replicas admitting in parallel see each other's reservations. Errors fail open.
 */
import Redis from 'ioredis';
import type { LimitStore, WindowAdmission } from './rate-limiter';

/** ARGV: expiry ms, rpm, tpm (-1: no limit), tokens to reserve. Returns {requests, tokens, admitted}. */
const ADMIT = `
local r = redis.call('HINCRBY', KEYS[1], 'r', 1)
if r == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local t = tonumber(redis.call('HGET', KEYS[1], 't')) or 0
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local reserve = tonumber(ARGV[4])
local admitted = (rpm < 0 or r <= rpm) and (tpm < 0 or t < tpm)
if admitted and reserve > 0 then t = redis.call('HINCRBY', KEYS[1], 't', reserve) end
return {r, t, admitted and 1 or 0}`;

export class RedisLimitStore implements LimitStore {
  private readonly redis: Redis;
  private lastWarning = 0;

  constructor(
    url: string,
    private readonly warn: (message: string) => void,
  ) {
    // Redis gone (connection refused or closed): no offline queue, so the limiter fails open at
    // once instead of holding every request. Redis there but slow: a request waits at most
    // commandTimeout. 250 ms was too tight: a busy process (a GC pause, a burst of TLS work)
    // fired the timer before reading an answer already in, and let requests past the limit.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 2000, enableOfflineQueue: false });
    this.redis.on('error', (error: Error) => this.warnOnce(`Redis limit store: ${error.message}`));
  }

  /**
   * Resolves once Redis answers, or after `waitMs` when it does not: the gateway waits
   * for it before taking requests, since without an offline queue a request arriving while the
   * connection is still being made would not be counted.
   */
  ready(waitMs = 2000): Promise<void> {
    return untilReady(this.redis, waitMs);
  }

  async admit(keyId: string, window: number, rpm: number | null, tpm: number | null, reserve: number): Promise<WindowAdmission> {
    try {
      const [requests, tokens, admitted] = (await this.redis.eval(ADMIT, 1, this.keyOf(keyId, window), 120_000, rpm ?? -1, tpm ?? -1, reserve)) as [number, number, number];
      return { requests, tokens, admitted: admitted === 1, reserved: admitted === 1 ? reserve : 0 };
    } catch (error) {
      this.warnOnce(`Redis limit store unavailable, not limiting: ${(error as Error).message}`);
      return { requests: 0, tokens: 0, admitted: true, reserved: 0 };
    }
  }

  addTokens(keyId: string, window: number, tokens: number): void {
    const key = this.keyOf(keyId, window);
    this.redis
      .multi()
      .hincrby(key, 't', tokens)
      .pexpire(key, 120_000)
      .exec()
      .catch((error: Error) => this.warnOnce(`Redis limit store: tokens not counted: ${error.message}`));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private keyOf(keyId: string, window: number): string {
    return `rm:limit:${keyId}:${window}`;
  }

  /** At most one warning per minute: an outage must not flood the log. */
  private warnOnce(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    this.warn(message);
  }
}

/** Resolves when `redis` is ready, ends, or `waitMs` passed: whichever comes first. */
export function untilReady(redis: Redis, waitMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('end', done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    timer.unref();
    redis.once('ready', done);
    redis.once('end', done);
  });
}
