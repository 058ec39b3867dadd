/**
 * Issue 12 (usage ledger that lasts): the daily roll-ups (`usage_daily`) are exact while two
 * gateway replicas write usage records at the same time (the statement trigger upserts each
 * batch in its own transaction), and so are the narrow roll-ups the all-users admin views read
 * (`usage_daily_users`, `usage_daily_models`); the `cache_hits` column counts `usage_records.cache_hit` as
 * soon as that column exists; and retention deletes raw records and old roll-ups in batches
 * (the counts of batches and rows observed), leaving the roll-ups of pruned raw days intact.
 * Real gateways on loopback, real PostgreSQL, fake upstream servers.
 */
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { eventually, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { UsageRetention } from '../app/usage/usage-retention';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';
import { createUserKey } from '../testing/user-keys';

const PRICES = 'input_cost_per_token: 0.000002, output_cost_per_token: 0.00001';
const DAY_MS = 24 * 3600 * 1000;

interface Sums {
  day: string;
  auth_kind: string;
  user_id: string | null;
  api_key_id: string | null;
  alias: string;
  upstream: string | null;
  requests: number;
  errors: number;
  prompt: number;
  completion: number;
  cost: number;
  unpriced: number;
}

/** The roll-up as the trigger keeps it, and the same figures computed from the raw records. */
async function rollupAndRaw(prisma: PrismaClient): Promise<{ rollup: Sums[]; raw: Sums[] }> {
  const rollup = await prisma.$queryRaw<Sums[]>`
    SELECT day::text AS day, auth_kind, user_id::text AS user_id, api_key_id::text AS api_key_id, alias, upstream,
      requests, errors, prompt_tokens::float8 AS prompt, completion_tokens::float8 AS completion, round(cost_usd::numeric, 9)::float8 AS cost, unpriced_requests AS unpriced
    FROM usage_daily ORDER BY 1, 2, 3, 4, 5, 6`;
  const raw = await prisma.$queryRaw<Sums[]>`
    SELECT (at AT TIME ZONE 'UTC')::date::text AS day, auth_kind, user_id::text AS user_id, api_key_id::text AS api_key_id, alias, upstream,
      count(*)::int AS requests, (count(*) FILTER (WHERE status >= 400))::int AS errors,
      coalesce(sum(prompt_tokens), 0)::float8 AS prompt, coalesce(sum(completion_tokens), 0)::float8 AS completion,
      round(coalesce(sum(cost_usd), 0)::numeric, 9)::float8 AS cost, (count(*) FILTER (WHERE cost_usd IS NULL))::int AS unpriced
    FROM usage_records GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`;
  return { rollup, raw };
}

type NarrowSums = Omit<Sums, 'auth_kind' | 'api_key_id' | 'user_id' | 'alias' | 'upstream'> & { grp: string | null; sub: string | null; cache_hits: number };
const NARROW_SUMS = `requests, errors, prompt_tokens::float8 AS prompt, completion_tokens::float8 AS completion,
  round(cost_usd::numeric, 9)::float8 AS cost, unpriced_requests AS unpriced, cache_hits`;
const RAW_SUMS = `count(*)::int AS requests, (count(*) FILTER (WHERE status >= 400))::int AS errors,
  coalesce(sum(prompt_tokens), 0)::float8 AS prompt, coalesce(sum(completion_tokens), 0)::float8 AS completion,
  round(coalesce(sum(cost_usd), 0)::numeric, 9)::float8 AS cost, (count(*) FILTER (WHERE cost_usd IS NULL))::int AS unpriced,
  (count(*) FILTER (WHERE cache_hit))::int AS cache_hits`;

/** The narrow roll-ups (per day × user, per day × alias × deployment) and the same sums of the raw records. */
async function narrowAndRaw(prisma: PrismaClient): Promise<{ users: NarrowSums[]; rawUsers: NarrowSums[]; models: NarrowSums[]; rawModels: NarrowSums[] }> {
  const day = `(at AT TIME ZONE 'UTC')::date::text`;
  const [users, rawUsers, models, rawModels] = await Promise.all([
    prisma.$queryRawUnsafe<NarrowSums[]>(`SELECT day::text AS day, user_id::text AS grp, NULL AS sub, ${NARROW_SUMS} FROM usage_daily_users ORDER BY 1, 2`),
    prisma.$queryRawUnsafe<NarrowSums[]>(`SELECT ${day} AS day, user_id::text AS grp, NULL AS sub, ${RAW_SUMS} FROM usage_records GROUP BY 1, 2 ORDER BY 1, 2`),
    prisma.$queryRawUnsafe<NarrowSums[]>(`SELECT day::text AS day, alias AS grp, upstream AS sub, ${NARROW_SUMS} FROM usage_daily_models ORDER BY 1, 2, 3`),
    prisma.$queryRawUnsafe<NarrowSums[]>(`SELECT ${day} AS day, alias AS grp, upstream AS sub, ${RAW_SUMS} FROM usage_records GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
  ]);
  return { users, rawUsers, models, rawModels };
}

describe('usage ledger: daily roll-ups and retention (issue 12)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let good: FakeUpstream;
  let broken: FakeUpstream;
  const replicas: RunningGateway[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 4 });
    good = await startFakeOpenAi({ name: 'good' });
    good.setDefault({ kind: 'answer', usage: { prompt: 1000, completion: 100 } });
    broken = await startFakeOpenAi({ name: 'broken' });
    broken.setDefault({ kind: 'status', status: 500 });
    const yaml = configYaml([
      { alias: 'rainymodel/auto', model: 'openai/m', apiBase: good.baseUrl, id: 'good-dep', extraInfo: `tier: direct, ${PRICES}` },
      { alias: 'rainymodel/free', model: 'openai/free-m', apiBase: good.baseUrl, id: 'free-dep', extraInfo: 'tier: direct' },
      { alias: 'rainymodel/broken', model: 'openai/b', apiBase: broken.baseUrl, id: 'broken-dep', extraInfo: 'tier: direct' },
    ]);
    const env = { RAINYMODEL_MASTER_KEY: 'sk-master', DATABASE_URL: db.url, RAINYMODEL_KEY_REFRESH_SECONDS: '60', USAGE_RAW_RETENTION_DAYS: '30', USAGE_ROLLUP_RETENTION_DAYS: '400' };
    for (let i = 0; i < 2; i++) replicas.push(await startGateway(yaml, env));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await good?.close();
    await broken?.close();
    await prisma?.$disconnect();
    await db?.drop();
  });

  const chat = (gateway: RunningGateway, key: string, model: string): Promise<Response> =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('two replicas writing at once: the roll-up equals the sums of the raw records, errors and unpriced requests included', async () => {
    const alice = await createUserKey(prisma, 'developer');
    const bob = await createUserKey(prisma, 'developer');
    for (const replica of replicas) await replica.app.get(GatewayContext).apiKeys?.reload();
    const calls: Promise<Response>[] = [];
    for (let i = 0; i < 40; i++) {
      const replica = replicas[i % 2];
      const key = i % 3 === 0 ? bob.key : alice.key;
      const model = i % 5 === 0 ? 'rainymodel/broken' : i % 4 === 0 ? 'rainymodel/free' : 'rainymodel/auto';
      calls.push(chat(replica, key, model).then(async (r) => (await r.arrayBuffer(), r)));
    }
    calls.push(chat(replicas[0], 'sk-master', 'rainymodel/auto'), chat(replicas[1], 'sk-master', 'rainymodel/auto'));
    const statuses = (await Promise.all(calls)).map((r) => r.status);
    expect(statuses.filter((s) => s === 502)).toHaveLength(8);
    // Both replicas flush their buffers (the same path the timer takes), in parallel.
    await Promise.all(replicas.map((replica) => replica.app.get(GatewayContext).usage?.flush()));
    await eventually(async () => (await prisma.usageRecord.count()) === 42, 'the 42 usage records');

    const { rollup, raw } = await rollupAndRaw(prisma);
    expect(rollup).toEqual(raw);
    const aliceAuto = rollup.find((r) => r.user_id === alice.userId && r.alias === 'rainymodel/auto');
    expect(aliceAuto).toMatchObject({ auth_kind: 'api_key', api_key_id: alice.id, upstream: 'good-dep', errors: 0, unpriced: 0 });
    expect(aliceAuto?.cost).toBeCloseTo(aliceAuto ? aliceAuto.requests * 0.003 : -1, 9);
    const broken = rollup.filter((r) => r.alias === 'rainymodel/broken');
    expect(broken.reduce((n, r) => n + r.errors, 0)).toBe(8);
    expect(broken.every((r) => r.upstream === null && r.unpriced === r.requests)).toBe(true);
    expect(rollup.find((r) => r.auth_kind === 'master')).toMatchObject({ user_id: null, api_key_id: null, requests: 2 });

    // The narrow roll-ups, kept by the same trigger, equal the raw sums too (the master key's
    // requests and the unserved ones in their NULL buckets).
    const narrow = await narrowAndRaw(prisma);
    expect(narrow.users).toEqual(narrow.rawUsers);
    expect(narrow.models).toEqual(narrow.rawModels);
    expect(narrow.users.map((r) => r.grp).sort()).toEqual([alice.userId, bob.userId, null].sort());
    expect(narrow.models.find((r) => r.grp === 'rainymodel/broken')).toMatchObject({ sub: null, errors: 8, unpriced: 8 });
  });

  it('cache_hits counts usage_records.cache_hit (the response cache\'s column; false when a record does not say)', async () => {
    const day = '2026-03-03';
    const insert = (alias: string, extra = '') =>
      prisma.$executeRawUnsafe(`INSERT INTO usage_records (at, request_id, auth_kind, alias, policy, tiers_tried, stream, latency_ms, status${extra ? ', cache_hit' : ''})
        SELECT '${day}T10:00:00Z', 'r' || g, 'open', '${alias}', 'auto', '{}', false, 5, 200${extra ? `, ${extra}` : ''} FROM generate_series(1, 6) g`);
    await insert('cache/before');
    await insert('cache/after', 'g % 3 = 0');
    const rows = await prisma.$queryRaw<{ alias: string; requests: number; cache_hits: number }[]>`
      SELECT alias, requests, cache_hits FROM usage_daily WHERE day = ${day}::date ORDER BY alias`;
    expect(rows).toEqual([
      { alias: 'cache/after', requests: 6, cache_hits: 2 },
      { alias: 'cache/before', requests: 6, cache_hits: 0 },
    ]);
    const narrow = await narrowAndRaw(prisma);
    expect(narrow.users).toEqual(narrow.rawUsers);
    expect(narrow.models).toEqual(narrow.rawModels);
    expect(narrow.models.filter((r) => r.day === day).map((r) => [r.grp, r.cache_hits])).toEqual([['cache/after', 2], ['cache/before', 0]]);
  });

  it('retention deletes old raw records and old roll-ups in batches, and keeps the roll-ups of pruned raw days', async () => {
    const now = Date.now();
    const daysAgo = (days: number) => new Date(now - days * DAY_MS);
    const rawAt = async (at: Date, count: number, aliasOf: string) =>
      prisma.$executeRaw`INSERT INTO usage_records (at, request_id, auth_kind, alias, policy, tiers_tried, stream, latency_ms, status, prompt_tokens, cost_usd)
        SELECT ${at}, 'old-' || g, 'open', ${aliasOf} || (g % 120), 'auto', '{}', false, 5, 200, 10, 0.5 FROM generate_series(1, ${count}::int) g`;
    await prisma.$executeRaw`DELETE FROM usage_records`;
    await prisma.$executeRaw`DELETE FROM usage_daily`;
    await prisma.$executeRaw`DELETE FROM usage_daily_users`;
    await prisma.$executeRaw`DELETE FROM usage_daily_models`;
    await rawAt(daysAgo(40), 250, 'forty/'); // raw pruned, roll-ups (40 days < 400) kept
    await rawAt(daysAgo(450), 120, 'ancient/'); // 120 raw rows and 120 roll-up buckets, all past retention
    await rawAt(daysAgo(1), 50, 'fresh/'); // kept
    const fortyBefore = await prisma.$queryRaw<{ requests: number; cost: number }[]>`
      SELECT sum(requests)::int AS requests, sum(cost_usd)::float8 AS cost FROM usage_daily WHERE alias LIKE 'forty/%'`;
    expect(fortyBefore).toEqual([{ requests: 250, cost: 125 }]);

    const retention = new UsageRetention(prisma, { rawDays: 30, rollupDays: 400 }, { info: () => undefined, warn: () => undefined }, { batchSize: 100, clock: () => now });
    const report = await retention.prune();
    console.log(`retention run: ${JSON.stringify(report)}`);
    // 370 raw rows: 100 + 100 + 100 + 70; 120 roll-ups: 100 + 20; narrow: the day's one user
    // bucket (1 batch) and its 120 model buckets (100 + 20).
    expect(report).toEqual({ raw: { batches: 4, rows: 370 }, rollups: { batches: 2, rows: 120 }, narrowRollups: { batches: 3, rows: 121 } });
    expect(await prisma.usageRecord.count()).toBe(50);
    const fortyAfter = await prisma.$queryRaw<{ requests: number; cost: number }[]>`
      SELECT sum(requests)::int AS requests, sum(cost_usd)::float8 AS cost FROM usage_daily WHERE alias LIKE 'forty/%'`;
    expect(fortyAfter).toEqual(fortyBefore);
    expect(await prisma.usageDaily.count({ where: { alias: { startsWith: 'ancient/' } } })).toBe(0);
    expect(await prisma.usageDaily.count({ where: { alias: { startsWith: 'fresh/' } } })).toBe(50);
    expect(await prisma.usageDailyModel.count({ where: { alias: { startsWith: 'ancient/' } } })).toBe(0);
    expect(await prisma.usageDailyModel.count({ where: { alias: { startsWith: 'forty/' } } })).toBe(120);
    expect(await prisma.usageDailyUser.count()).toBe(2);

    // Nothing left to do: one empty batch per table.
    expect(await retention.prune()).toEqual({ raw: { batches: 1, rows: 0 }, rollups: { batches: 1, rows: 0 }, narrowRollups: { batches: 2, rows: 0 } });
    // The gateway's own job is wired to the configured retention.
    expect(await replicas[0].app.get(GatewayContext).usageRetention?.prune()).toEqual({ raw: { batches: 1, rows: 0 }, rollups: { batches: 1, rows: 0 }, narrowRollups: { batches: 2, rows: 0 } });
  });
});
