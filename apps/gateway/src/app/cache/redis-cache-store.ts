/**
 * The cache in Redis, shared by every replica (REDIS_URL): one string per answer under
 * `rm:cache:v1:<hash>`, expiring with the answer's `keepUntil` (ttl + max_stale), so Redis
 * drops it by itself. Redis holds at most what was stored within the longest ttl + max_stale,
 * each answer no larger than `max_bytes`; `max_entries` is not counted here (Redis's own
 * `maxmemory` with `volatile-lru` is the cap to set, docs/response-cache.md).
 *
 * Redis away never fails a request: a read that errs or takes longer than the command timeout
 * is a miss, a write that fails is dropped, each logged at most once a minute.
 */
import Redis from 'ioredis';
import { decodeAnswer, encodeAnswer, type CachedAnswer } from './cached-answer';
import type { CacheStore } from './cache-store';

export class RedisCacheStore implements CacheStore {
  private readonly redis: Redis;
  private lastWarning = 0;
  private readonly writes = new Set<Promise<unknown>>();

  constructor(
    url: string,
    private readonly maxBytes: number,
    private readonly warn: (message: string) => void,
    private readonly now: () => number = Date.now,
    /**
     * Connect now (an alias is cached: the first look-up must not wait for the connection,
     * which counts against its command timeout); otherwise on first use, so a gateway whose
     * requests never involve the cache never opens it.
     */
    connectNow = false,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 250, connectTimeout: 2000, lazyConnect: true });
    this.redis.on('error', (error: Error) => this.warnOnce(`Redis response cache: ${error.message}`));
    // A failed connect is reported through 'error' above; commands retry it.
    if (connectNow) this.redis.connect().catch(() => undefined);
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    let text: string | null;
    try {
      text = await this.redis.get(key);
    } catch (error) {
      this.warnOnce(`Redis response cache unavailable, answering as a miss: ${(error as Error).message}`);
      return undefined;
    }
    if (text === null) return undefined;
    const answer = decodeAnswer(text);
    // Redis expires a key to the millisecond, but replica clocks differ: the answer's own time rules.
    return answer !== undefined && answer.keepUntil > this.now() ? answer : undefined;
  }

  set(key: string, answer: CachedAnswer): void {
    const keepMs = Math.ceil(answer.keepUntil - this.now());
    if (keepMs <= 0) return;
    const text = encodeAnswer(answer);
    if (Buffer.byteLength(text) > this.maxBytes) return;
    const write = this.redis
      .set(key, text, 'PX', keepMs)
      .catch((error: Error) => this.warnOnce(`Redis response cache: answer not stored: ${error.message}`))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  async flush(): Promise<void> {
    await Promise.all(this.writes);
  }

  /** Lets the writes in flight land (each bounded by the command timeout), then disconnects. */
  async close(): Promise<void> {
    await this.flush();
    this.redis.disconnect();
  }

  /** At most one warning per minute: an outage must not flood the log. */
  private warnOnce(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    this.warn(message);
  }
}
