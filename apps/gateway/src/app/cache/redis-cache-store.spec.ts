import { randomUUID } from 'node:crypto';
import { redisAnswers, TEST_REDIS_URL } from '@orcest/testing';
import Redis from 'ioredis';
import type { CachedAnswer } from './cached-answer';
import { RedisCacheStore } from './redis-cache-store';

const answer = (now: number, body = '{"id":"x"}'): CachedAnswer => ({ body, storedAt: now, freshUntil: now + 1000, keepUntil: now + 60_000, deployment: 'd', tier: 'free', upstream: 'u', model: 'm' });

describe('RedisCacheStore', () => {
  it('two stores on one Redis share answers; each expires with its keepUntil', async () => {
    if (!(await redisAnswers())) {
      console.warn(`SKIPPED the Redis response cache store test: nothing answers at ${TEST_REDIS_URL} (start redis-server, or set TEST_REDIS_URL); .ci/run starts it`);
      return;
    }
    const now = Date.now();
    const a = new RedisCacheStore(TEST_REDIS_URL, 1 << 20, () => undefined, () => now);
    const b = new RedisCacheStore(TEST_REDIS_URL, 1 << 20, () => undefined, () => now);
    const inspect = new Redis(TEST_REDIS_URL);
    const key = `rm:cache:v1:test-${randomUUID()}`;
    try {
      a.set(key, answer(now));
      await a.flush();
      expect(await b.get(key)).toEqual(answer(now));
      // Redis expires it by itself at keepUntil (PX, to the millisecond of the store's clock).
      const ttl = await inspect.pttl(key);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      // Not stored: past its keepUntil already, or larger than max_bytes.
      const small = new RedisCacheStore(TEST_REDIS_URL, 100, () => undefined, () => now);
      small.set(`${key}-big`, answer(now, 'x'.repeat(200)));
      a.set(`${key}-old`, { ...answer(now), keepUntil: now - 1 });
      await Promise.all([small.flush(), a.flush(), small.close()]);
      expect(await inspect.exists(`${key}-big`, `${key}-old`)).toBe(0);
      // Something that is not an answer (another version's, corrupted) is a miss.
      await inspect.set(`${key}-junk`, 'not json', 'PX', 10_000);
      expect(await b.get(`${key}-junk`)).toBeUndefined();
    } finally {
      await inspect.del(key, `${key}-junk`);
      inspect.disconnect();
      await a.close();
      await b.close();
    }
  });

  it('Redis away is a miss and a dropped write, with one warning, never an error', async () => {
    const warnings: string[] = [];
    const store = new RedisCacheStore('redis://127.0.0.1:1', 1 << 20, (m) => warnings.push(m));
    try {
      expect(await store.get('rm:cache:v1:k')).toBeUndefined();
      store.set('rm:cache:v1:k', answer(Date.now()));
      await store.flush();
      expect(warnings.length).toBe(1);
    } finally {
      await store.close();
    }
  });
});
