/**
 * Issue 12 (budgets): monthly USD budgets per API key and per user, calendar month UTC. Once a
 * key's (or its user's) month-to-date spend reaches its budget, the next call is refused with
 * 429 `budget_exceeded` and Retry-After to the 1st of next month — on one replica with the
 * spend in memory, and across two replicas sharing it through real Redis — or, with
 * RAINYMODEL_BUDGET_MODE=warn, served with `x-rainymodel-budget-warning`. Spend recorded before
 * a gateway starts is loaded from usage_records. The budgets' clock is pinned an hour before a
 * month's end (a random far-future month, so Redis counters of earlier runs never meet this one).
 */
import { generateApiKey } from '@orcest/auth';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { startFakeOpenAi, type FakeUpstream, redisAnswers, TEST_REDIS_URL } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';
import { createUserKey, waitForUsageRows } from '../testing/user-keys';

const REDIS_URL = TEST_REDIS_URL;
/** $0.003 a call: 1000 prompt tokens × $0.000002 + 100 completion tokens × $0.00001. */
const PRICES = 'input_cost_per_token: 0.000002, output_cost_per_token: 0.00001';
const CALL = { kind: 'answer', usage: { prompt: 1000, completion: 100 } } as const;

/** 23:00 UTC on the last day of June of a random year: one hour before the month ends. */
function pinnedClock(): { now: () => number; year: number } {
  const year = 2100 + Math.floor(Math.random() * 5000);
  const at = Date.UTC(year, 5, 30, 23, 0, 0);
  return { now: () => at, year };
}

const chat = (gateway: RunningGateway, key: string): Promise<Response> =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }),
  });

describe.each([
  ['one replica, spend in memory', false],
  ['two replicas sharing spend through Redis', true],
])('monthly budgets: %s', (_name, useRedis) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let fake: FakeUpstream;
  const replicas: RunningGateway[] = [];
  const clock = pinnedClock();

  beforeAll(async () => {
    if (useRedis && !(await redisAnswers())) {
      console.warn(`SKIPPED the Redis budget e2e: nothing answers at ${REDIS_URL} (start redis-server, or set TEST_REDIS_URL); .ci/run starts it`);
      return;
    }
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    fake = await startFakeOpenAi({ name: 'fake' });
    fake.setDefault(CALL);
    const yaml = configYaml([{ model: 'openai/m', apiBase: fake.baseUrl, extraInfo: `tier: direct, ${PRICES}` }]);
    const env = { RAINYMODEL_MASTER_KEY: 'sk-master', DATABASE_URL: db.url, RAINYMODEL_KEY_REFRESH_SECONDS: '60', ...(useRedis ? { REDIS_URL } : {}) };
    for (let i = 0; i < (useRedis ? 2 : 1); i++) replicas.push(await startGateway(yaml, env, { budgetClock: clock.now }));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await fake?.close();
    await prisma?.$disconnect();
    await db?.drop();
  });

  const first = (): RunningGateway => replicas[0];
  const last = (): RunningGateway => replicas[replicas.length - 1];
  const reloadKeys = async () => {
    for (const replica of replicas) await replica.app.get(GatewayContext).apiKeys?.reload();
  };
  /** Waits until the calls so far are recorded (their cost counted), then lets each replica read the shared spend. */
  const settle = async (where: { apiKeyId?: string; userId?: string }, calls: number) => {
    await waitForUsageRows(prisma, calls, where);
    await new Promise((r) => setTimeout(r, 100)); // the INCRBYFLOAT, after the record
    for (const replica of replicas) await replica.app.get(GatewayContext).budgets?.sync();
  };

  it('a key over its monthly budget gets 429 budget_exceeded on the next call, with Retry-After to the 1st of next month UTC', async () => {
    if (replicas.length === 0) return;
    const { key, id } = await createUserKey(prisma, 'developer');
    await prisma.apiKey.update({ where: { id }, data: { monthlyBudgetUsd: 0.005 } });
    await reloadKeys();
    expect((await chat(first(), key)).status).toBe(200); // $0.003 of $0.005
    await settle({ apiKeyId: id }, 1);
    expect((await chat(first(), key)).status).toBe(200); // $0.006: crossed by the call that was let in
    await settle({ apiKeyId: id }, 2);
    // With two replicas, the other one (which served nothing for this key) refuses too.
    const refused = await chat(last(), key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3600');
    const body = (await refused.json()) as { error: { code: string; type: string; message: string } };
    expect(body.error).toMatchObject({ code: 'budget_exceeded', type: 'rate_limit_error' });
    expect(body.error.message).toContain('This API key has reached its monthly budget of $0.01');
    expect(body.error.message).toContain(`resets on ${clock.year}-07-01 at 00:00 UTC`);
    expect((await chat(first(), key)).status).toBe(429);
  });

  it('a user\'s budget covers all their keys', async () => {
    if (replicas.length === 0) return;
    const one = await createUserKey(prisma, 'developer');
    const two = generateApiKey();
    await prisma.apiKey.create({ data: { userId: one.userId, name: 'second', prefix: two.prefix, keyHash: two.hash } });
    await prisma.user.update({ where: { id: one.userId }, data: { monthlyBudgetUsd: 0.002 } });
    await reloadKeys();
    expect((await chat(first(), one.key)).status).toBe(200);
    await settle({ userId: one.userId }, 1);
    // The user's other key, which has spent nothing itself, on the other replica when there are two.
    const refused = await chat(last(), two.key);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('This user account has reached its monthly budget');
    // A key of another user is untouched.
    const other = await createUserKey(prisma, 'developer');
    await reloadKeys();
    expect((await chat(last(), other.key)).status).toBe(200);
  });
});

describe('monthly budgets: warn mode, and spend recorded before the gateway started', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let fake: FakeUpstream;
  let gateway: RunningGateway | undefined;
  const clock = pinnedClock();

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    fake = await startFakeOpenAi({ name: 'fake' });
    fake.setDefault(CALL);
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('loads the month-to-date spend at start (last month\'s does not count), and only warns in warn mode', async () => {
    const spent = await createUserKey(prisma, 'developer');
    const fresh = await createUserKey(prisma, 'developer');
    await prisma.apiKey.updateMany({ where: { id: { in: [spent.id, fresh.id] } }, data: { monthlyBudgetUsd: 1 } });
    const row = { requestId: 'r', authKind: 'api_key', alias: 'rainymodel/auto', policy: 'auto', stream: false, latencyMs: 1, status: 200 };
    await prisma.usageRecord.createMany({
      data: [
        { ...row, apiKeyId: spent.id, userId: spent.userId, costUsd: 0.6, at: new Date(clock.now() - 3600_000) },
        { ...row, apiKeyId: spent.id, userId: spent.userId, costUsd: 0.5, at: new Date(clock.now() - 24 * 3600_000) },
        // May: another month.
        { ...row, apiKeyId: fresh.id, userId: fresh.userId, costUsd: 5, at: new Date(Date.UTC(clock.year, 4, 31, 12)) },
      ],
    });
    gateway = await startGateway(
      configYaml([{ model: 'openai/m', apiBase: fake.baseUrl, extraInfo: `tier: direct, ${PRICES}` }]),
      { RAINYMODEL_MASTER_KEY: 'sk-master', DATABASE_URL: db.url, RAINYMODEL_BUDGET_MODE: 'warn' },
      { budgetClock: clock.now },
    );
    const warned = await chat(gateway, spent.key);
    expect(warned.status).toBe(200);
    expect(warned.headers.get('x-rainymodel-budget-warning')).toMatch(/^This API key has reached its monthly budget of \$1\.00 \(\$1\.1000 spent in \d+-06\)\. It resets on \d+-07-01 at 00:00 UTC\.$/);
    const within = await chat(gateway, fresh.key);
    expect(within.status).toBe(200);
    expect(within.headers.get('x-rainymodel-budget-warning')).toBeNull();
  });
});
