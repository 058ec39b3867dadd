/**
 * The limit counters in Redis, shared by every gateway replica: one hash per key and window
 * (`rm:limit:<key id>:<window>`, fields `r` and `t`), expiring after two windows. Counting a
 * request is one round trip (a Lua script: HINCRBY + EXPIRE + HGET). Errors fail open.
 */
import Redis from 'ioredis';
import type { LimitStore, WindowCounts } from './rate-limiter';

const COUNT_REQUEST = `
local r = redis.call('HINCRBY', KEYS[1], 'r', 1)
if r == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local t = redis.call('HGET', KEYS[1], 't')
return {r, tonumber(t) or 0}`;

export class RedisLimitStore implements LimitStore {
  private readonly redis: Redis;
  private lastWarning = 0;

  constructor(
    url: string,
    private readonly warn: (message: string) => void,
  ) {
    // A request waits at most commandTimeout for Redis; past that the limiter fails open.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 250, connectTimeout: 2000 });
    this.redis.on('error', (error: Error) => this.warnOnce(`Redis limit store: ${error.message}`));
  }

  async countRequest(keyId: string, window: number): Promise<WindowCounts> {
    try {
      const [requests, tokens] = (await this.redis.eval(COUNT_REQUEST, 1, this.keyOf(keyId, window), 120_000)) as [number, number];
      return { requests, tokens };
    } catch (error) {
      this.warnOnce(`Redis limit store unavailable, not limiting: ${(error as Error).message}`);
      return { requests: 0, tokens: 0 };
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
