/**
 * Issue 10, the response cache across replicas and in the ledger: two gateway processes on one
 * real Redis (REDIS_URL) share their cached answers — one fills, the other hits, and serves it
 * stale when its upstream is down — and a hit's usage record says `cache_hit`, with no tokens
 * and cost 0 (real PostgreSQL). Skipped with a printed reason where no Redis answers.
 */
import { randomUUID } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { redisAnswers, startFakeOpenAi, TEST_REDIS_URL, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';
import { createUserKey, waitForUsageRows } from '../testing/user-keys';

const PRICES = 'input_cost_per_token: 0.000002, output_cost_per_token: 0.00001';

describe('response cache shared by two replicas through Redis, and in the usage records', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let upstreamA: FakeUpstream;
  let upstreamB: FakeUpstream;
  let now = 1_900_000_000_000;
  const replicas: RunningGateway[] = [];

  beforeAll(async () => {
    if (!(await redisAnswers())) {
      console.warn(`SKIPPED the shared response cache e2e: nothing answers at ${TEST_REDIS_URL} (start redis-server, or set TEST_REDIS_URL); .ci/run starts it`);
      return;
    }
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    // One upstream per replica, so which replica went upstream is visible.
    upstreamA = await startFakeOpenAi({ name: 'a' });
    upstreamB = await startFakeOpenAi({ name: 'b' });
    for (const upstream of [upstreamA, upstreamB]) {
      // The same alias, deployment and model on both; only the upstream's address differs (the key does not depend on it).
      const yaml = configYaml([{ alias: 'rainymodel/auto', model: 'openai/m', apiBase: upstream.baseUrl, id: 'dep', extraInfo: `tier: direct, ${PRICES}` }]) + '  cache: { ttl: 60, max_stale: 600 }\n';
      const env = { RAINYMODEL_MASTER_KEY: 'sk-master', DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, RAINYMODEL_KEY_REFRESH_SECONDS: '60' };
      replicas.push(await startGateway(yaml, env, { cacheClock: () => now }));
    }
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await Promise.all([upstreamA?.close(), upstreamB?.close()]);
    await prisma?.$disconnect();
    await db?.drop();
  });

  const chat = (replica: RunningGateway, key: string, content: string): Promise<Response> =>
    fetch(`${replica.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content }], temperature: 0 }),
    });

  it('an answer filled through replica A is a hit on replica B, recorded as a cache hit with no tokens and cost 0', async () => {
    if (replicas.length === 0) return;
    const [a, b] = replicas;
    const { key, id } = await createUserKey(prisma, 'developer');
    await Promise.all(replicas.map((r) => r.app.get(GatewayContext).apiKeys?.reload()));
    // A question no earlier run asked: Redis outlives the test.
    const q = `shared ${randomUUID()}`;
    upstreamA.enqueue({ kind: 'answer', text: 'from A', usage: { prompt: 1000, completion: 100 } });
    const filled = await chat(a, key, q);
    expect(filled.headers.get('x-rainymodel-cache')).toBe('miss');
    const body = await filled.text();
    // A's write to Redis is fire-and-forget after its answer: let it land before asking B.
    await a.app.get(GatewayContext).cache.store.flush();

    const hitsOnB = upstreamB.hits;
    const hit = await chat(b, key, q);
    expect(hit.status).toBe(200);
    expect(hit.headers.get('x-rainymodel-cache')).toBe('hit');
    expect(await hit.text()).toBe(body);
    expect(upstreamB.hits).toBe(hitsOnB);

    // Each replica writes its own records in batches: which lands first is not fixed.
    const rows = await waitForUsageRows(prisma, 2, { apiKeyId: id });
    const miss = rows.find((row) => !row.cacheHit);
    expect(miss).toMatchObject({ promptTokens: 1000, completionTokens: 100, status: 200 });
    expect(miss?.costUsd).toBeCloseTo(0.003, 10);
    expect(rows.find((row) => row.cacheHit)).toMatchObject({ cacheHit: true, promptTokens: 0, completionTokens: 0, costUsd: 0, upstream: 'dep', servedModel: 'm', tiersTried: [], status: 200 });
  });

  it('replica B serves an answer A cached, stale, when B\'s upstream is down', async () => {
    if (replicas.length === 0) return;
    const [a, b] = replicas;
    const q = `stale ${randomUUID()}`;
    upstreamA.enqueue({ kind: 'answer', text: 'before the outage' });
    const original = await (await chat(a, 'sk-master', q)).text();
    await a.app.get(GatewayContext).cache.store.flush();
    now += 120_000;
    await upstreamB.refuse();
    try {
      const stale = await chat(b, 'sk-master', q);
      expect(stale.status).toBe(200);
      expect(stale.headers.get('x-rainymodel-cache')).toBe('stale');
      expect(await stale.text()).toBe(original);
    } finally {
      await upstreamB.accept();
    }
  });
});
