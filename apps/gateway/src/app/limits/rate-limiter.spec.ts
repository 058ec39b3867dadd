import { redisAnswers, TEST_REDIS_URL } from '@orcest/testing';
import { MemoryLimitStore, RateLimiter, WINDOW_MS, type LimitStore } from './rate-limiter';
import { RedisLimitStore } from './redis-limit-store';

const REDIS_URL = TEST_REDIS_URL;

/** The store is undefined when its server is missing: each test then returns early (a printed skip). */
function limiterSuite(name: string, makeStore: () => Promise<LimitStore | undefined>): void {
  describe(`RateLimiter on ${name}`, () => {
    let store: LimitStore | undefined;
    let now = 10 * WINDOW_MS + 1_000; // 59 s left in the window
    let keyId = 0;
    const key = (rpm: number | null, tpm: number | null) => ({ id: `k-${name}-${Date.now()}-${++keyId}`, rpmLimit: rpm, tpmLimit: tpm });
    let limiter: RateLimiter;

    beforeAll(async () => {
      store = await makeStore();
      if (store) limiter = new RateLimiter(store, () => now);
      // As the gateway does before its first request (a remote store's connection).
      await limiter?.ready();
    });
    afterAll(() => limiter?.close());

    it('admits up to the requests-per-minute limit, then refuses until the window resets', async () => {
      if (!store) return;
      const k = key(3, null);
      for (let i = 0; i < 3; i++) expect((await limiter.admit(k, 0)).allowed).toBe(true);
      const refused = await limiter.admit(k, 0);
      expect(refused).toMatchObject({ allowed: false, exceeded: 'requests', retryAfterSeconds: 59 });
      expect(refused.headers).toEqual(['x-ratelimit-limit-requests', '3', 'x-ratelimit-remaining-requests', '0', 'x-ratelimit-reset-requests', '59s']);
      now += WINDOW_MS;
      expect((await limiter.admit(k, 0)).allowed).toBe(true);
    });

    it('refuses once the tokens of the window are used up, counting what finished requests used', async () => {
      if (!store) return;
      const k = key(null, 100);
      const first = await limiter.admit(k, 0);
      expect(first.headers).toContain('x-ratelimit-remaining-tokens');
      limiter.settle(k, first, 70);
      const second = await limiter.admit(k, 0);
      expect(second.allowed).toBe(true);
      expect(second.headers[second.headers.indexOf('x-ratelimit-remaining-tokens') + 1]).toBe('30');
      limiter.settle(k, second, 40);
      expect(await limiter.admit(k, 0)).toMatchObject({ allowed: false, exceeded: 'tokens' });
    });

    it('reserves the estimated prompt tokens at admission, so parallel requests cannot all pass a nearly spent window', async () => {
      if (!store) return;
      const k = key(null, 100);
      const verdicts = await Promise.all(Array.from({ length: 10 }, () => limiter.admit(k, 40)));
      // 0 → 40 → 80 are below 100: three in, then the window is full of reservations.
      expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
      expect(verdicts.filter((v) => !v.allowed).every((v) => v.exceeded === 'tokens' && v.retryAfterSeconds > 0)).toBe(true);
      expect(verdicts.filter((v) => v.allowed).map((v) => v.reservedTokens)).toEqual([40, 40, 40]);
    });

    it('settling replaces the reservation with the real count; nothing served gives it back; unknown keeps the estimate', async () => {
      if (!store) return;
      const k = key(null, 1000);
      const remaining = (a: { headers: readonly string[] }) => Number(a.headers[a.headers.indexOf('x-ratelimit-remaining-tokens') + 1]);
      const a = await limiter.admit(k, 50);
      expect(remaining(a)).toBe(950);
      limiter.settle(k, a, 10); // used 10, not 50
      const b = await limiter.admit(k, 50);
      expect(remaining(b)).toBe(1000 - 10 - 50);
      limiter.settle(k, b, 0); // failed before an upstream answered
      const c = await limiter.admit(k, 50);
      expect(remaining(c)).toBe(1000 - 10 - 50);
      limiter.settle(k, c, undefined); // served without a count: the estimate stays
      const d = await limiter.admit(k, 0);
      expect(remaining(d)).toBe(1000 - 10 - 50);
    });

    it('a request that ends in the next window counts its tokens there, whole', async () => {
      if (!store) return;
      const k = key(null, 1000);
      const a = await limiter.admit(k, 50);
      now += WINDOW_MS;
      limiter.settle(k, a, 30);
      const b = await limiter.admit(k, 0);
      expect(b.headers[b.headers.indexOf('x-ratelimit-remaining-tokens') + 1]).toBe('970');
    });

    it('a key without limits is always admitted and gets no headers', async () => {
      if (!store) return;
      const k = key(null, null);
      for (let i = 0; i < 5; i++) expect(await limiter.admit(k, 1000)).toMatchObject({ allowed: true, headers: [], retryAfterSeconds: 0, reservedTokens: 0 });
    });
  });
}

limiterSuite('memory', async () => new MemoryLimitStore());
limiterSuite('Redis', async () => {
  if (await redisAnswers()) return new RedisLimitStore(REDIS_URL, () => undefined);
  console.warn(`SKIPPED the Redis limit store suite: nothing answers at ${REDIS_URL} (start redis-server, or set TEST_REDIS_URL); .ci/run starts it`);
  return undefined;
});

describe('RateLimiter on Redis (shared by replicas)', () => {
  it('two limiters on one Redis enforce one limit, not two', async () => {
    if (!(await redisAnswers())) {
      console.warn(`SKIPPED Redis limit test: nothing answers at ${REDIS_URL} (start redis-server, or set TEST_REDIS_URL); .ci/run starts it`);
      return;
    }
    const a = new RateLimiter(new RedisLimitStore(REDIS_URL, () => undefined));
    const b = new RateLimiter(new RedisLimitStore(REDIS_URL, () => undefined));
    await Promise.all([a.ready(), b.ready()]);
    try {
      const k = { id: `shared-${Date.now()}`, rpmLimit: 4, tpmLimit: null };
      const verdicts = [];
      for (let i = 0; i < 6; i++) verdicts.push((await (i % 2 ? a : b).admit(k, 0)).allowed);
      // Only at a window boundary could this see 5 or 6 admitted; 4 is the shared limit.
      expect(verdicts.filter(Boolean).length).toBeLessThanOrEqual(4);
      expect(verdicts.slice(0, 4)).toEqual([true, true, true, true]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('fails open, with one warning, when Redis is unreachable', async () => {
    const warnings: string[] = [];
    const limiter = new RateLimiter(new RedisLimitStore('redis://127.0.0.1:1', (m) => warnings.push(m)));
    try {
      const verdict = await limiter.admit({ id: 'x', rpmLimit: 1, tpmLimit: null }, 0);
      expect(verdict.allowed).toBe(true);
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(warnings.length).toBeLessThanOrEqual(1);
    } finally {
      await limiter.close();
    }
  });
});
