/**
 * N replicas as one (issue 10): two gateway apps in this process, each its own Fastify server,
 * on one real Redis reached through a TCP proxy the test can cut (the machine's Redis is never
 * stopped), API keys in real PostgreSQL, SSO tokens from a real JWKS server.
 * - a circuit opened through replica A is honoured by replica B;
 * - an API key with rpm=10 gets exactly 10 answers out of 30 requests spread over both;
 * - an SSO user's per-user and per-role limits hold across both, with the API keys' 429;
 * - Redis cut mid-run: both keep serving, say so in /health, and share again when it is back.
 * Waits are on the apps' own events (the breaker fleet's), never on time. The limiter's clock is
 * pinned mid-window, so no sequence straddles a minute boundary.
 */
import { randomUUID } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { FakeTokenIssuer, redisAnswers, startFakeOpenAi, TcpProxy, TEST_REDIS_URL, type FakeUpstream } from '@orcest/testing';
import type { BreakerFleet, FleetEvent } from '../app/breakers/breaker-fleet';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, pinnedLimiterClock, startGateway, type RunningGateway } from '../testing/gateway-harness';
import { createUserKey } from '../testing/user-keys';

const MASTER = 'sk-master';
const AUDIENCE = 'http://gateway.test';
const PINNED_CLOCK = pinnedLimiterClock(3_000);

let available = false;
let proxy: TcpProxy;
let db: TestDatabase;
let prisma: PrismaClient;
let issuer: FakeTokenIssuer;
let flaky: FakeUpstream;
let steady: FakeUpstream;
let replicas: RunningGateway[] = [];

const fleetOf = (replica: RunningGateway): BreakerFleet => replica.app.get(GatewayContext).breakerFleet as BreakerFleet;

function nextEvent(replica: RunningGateway, kind: FleetEvent['kind']): Promise<FleetEvent> {
  return new Promise((resolve) => fleetOf(replica).onEvent((event) => event.kind === kind && resolve(event)));
}

beforeAll(async () => {
  available = await redisAnswers();
  if (!available) {
    console.warn(`SKIPPED the two-replica e2e: nothing answers at ${TEST_REDIS_URL} (start redis-server, or set TEST_REDIS_URL); .ci/run starts it`);
    return;
  }
  const redis = new URL(TEST_REDIS_URL);
  proxy = await TcpProxy.start(redis.hostname, Number(redis.port || 6379));
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url, { poolSize: 2 });
  issuer = await FakeTokenIssuer.start(AUDIENCE);
  flaky = await startFakeOpenAi({ name: 'flaky' });
  steady = await startFakeOpenAi({ name: 'steady' });
  const yaml = configYaml(
    [
      { model: 'openai/f', apiBase: flaky.baseUrl, id: 'flaky', tier: 'free' },
      { model: 'openai/s', apiBase: steady.baseUrl, id: 'steady', tier: 'internal' },
    ],
    { allowed_fails: 1, cooldown_time: 600 },
  );
  const env = {
    RAINYMODEL_MASTER_KEY: MASTER,
    DATABASE_URL: db.url,
    RAINYMODEL_KEY_REFRESH_SECONDS: '60',
    REDIS_URL: proxy.urlFor(TEST_REDIS_URL),
    RAINYMODEL_SSO_ISSUER: issuer.url,
    RAINYMODEL_AUDIENCE: AUDIENCE,
    RAINYMODEL_SSO_RPM: '4',
    RAINYMODEL_SSO_LIMITS_BY_ROLE: '{"researcher":{"rpm":2},"admin":{"rpm":null}}',
    RAINYMODEL_CONFIG_WATCH: 'false',
  };
  replicas = await Promise.all([startGateway(yaml, env, { limiterClock: PINNED_CLOCK }), startGateway(yaml, env, { limiterClock: PINNED_CLOCK })]);
  await Promise.all(replicas.map((r) => fleetOf(r).shared || nextEvent(r, 'shared')));
});
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.close()));
  await flaky?.close();
  await steady?.close();
  await issuer?.close();
  await prisma?.$disconnect();
  await db?.drop();
  await proxy?.close();
});

async function chat(replica: RunningGateway, key = MASTER): Promise<Response> {
  const res = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.arrayBuffer();
  return res;
}

/** `count` requests, alternating between the replicas (in parallel pairs), and their statuses. */
async function spread(count: number, key: string): Promise<Response[]> {
  const answers: Response[] = [];
  for (let i = 0; i < count; i += 2) answers.push(...(await Promise.all([chat(replicas[0], key), chat(replicas[1], key)])));
  return answers.slice(0, count);
}

async function health(replica: RunningGateway): Promise<{ breakers: { mode: string; reason?: string } }> {
  return (await (await fetch(`${replica.url}/health`)).json()) as never;
}

async function reloadKeys(): Promise<void> {
  await Promise.all(replicas.map((r) => r.app.get(GatewayContext).apiKeys?.reload()));
}

it('both replicas share breaker state through Redis, and /health says so', async () => {
  if (!available) return;
  for (const replica of replicas) expect((await health(replica)).breakers).toEqual({ mode: 'shared' });
});

it('a circuit opened through replica A is honoured by replica B', async () => {
  if (!available) return;
  const [a, b] = replicas;
  const flakyIdentity = b.app.get(GatewayContext).registry.all.find((d) => d.name === 'flaky')?.identity;
  const heardByB = new Promise<number>((resolve) => {
    fleetOf(b).onEvent((event) => event.kind === 'open' && event.identity === flakyIdentity && resolve(Date.now()));
  });
  flaky.setDefault({ kind: 'status', status: 503 });
  try {
    const throughA = await chat(a);
    const answeredAt = Date.now();
    expect(throughA.status).toBe(200);
    expect(throughA.headers.get('x-rainymodel-tried')).toBe('flaky,steady');
    console.log(`shared breaker: replica B held the circuit open ${(await heardByB) - answeredAt} ms after replica A's answer (≤ 0: before it)`);

    const throughB = await chat(b);
    expect(throughB.status).toBe(200);
    expect(throughB.headers.get('x-rainymodel-model')).toBe('s');
    expect(throughB.headers.get('x-rainymodel-tried')).toBeNull(); // flaky was not even tried
    expect(flaky.hits).toBe(1);
    const upstreams = (await (await fetch(`${b.url}/health/upstreams`, { headers: { authorization: `Bearer ${MASTER}` } })).json()) as { data: Array<{ name: string; circuit: string }> };
    expect(upstreams.data.find((d) => d.name === 'flaky')?.circuit).toBe('open');
  } finally {
    flaky.setDefault({ kind: 'answer' });
  }
});

it('an API key with rpm=10 gets exactly 10 answers out of 30 requests spread over both replicas', async () => {
  if (!available) return;
  const { key } = await createUserKey(prisma, 'developer', { rpm: 10 });
  await reloadKeys();
  const answers = await spread(30, key);
  expect(answers.filter((r) => r.status === 200)).toHaveLength(10);
  const refused = answers.filter((r) => r.status === 429);
  expect(refused).toHaveLength(20);
  // Refusals from both replicas, all with the limit's headers.
  for (const res of refused) {
    expect(res.headers.get('x-ratelimit-limit-requests')).toBe('10');
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  }
  expect(new Set(answers.map((_r, i) => i % 2)).size).toBe(2);
});

it('SSO users are limited across both replicas: RAINYMODEL_SSO_RPM per user, overridden per role, with the same 429', async () => {
  if (!available) return;
  const developer = await issuer.sign({ role: 'developer', sub: `dev-${randomUUID()}` });
  const developerAnswers = await spread(12, developer);
  expect(developerAnswers.filter((r) => r.status === 200)).toHaveLength(4);
  const refused = developerAnswers.filter((r) => r.status === 429);
  expect(refused).toHaveLength(8);
  for (const res of refused) {
    expect(res.headers.get('x-ratelimit-limit-requests')).toBe('4');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  }

  const researcher = await issuer.sign({ role: 'researcher', sub: `res-${randomUUID()}` });
  expect((await spread(6, researcher)).filter((r) => r.status === 200)).toHaveLength(2);

  // Another user of the same role has a window of their own; a role with `null` has no limit.
  const otherResearcher = await issuer.sign({ role: 'researcher', sub: `res-${randomUUID()}` });
  expect((await chat(replicas[1], otherResearcher)).status).toBe(200);
  const admin = await issuer.sign({ role: 'admin', sub: `admin-${randomUUID()}` });
  const adminAnswers = await spread(8, admin);
  expect(adminAnswers.every((r) => r.status === 200)).toBe(true);
  expect(adminAnswers[0].headers.get('x-ratelimit-limit-requests')).toBeNull();
});

it('Redis cut mid-run: both replicas keep serving on their own breakers, say so, and share again when it is back', async () => {
  if (!available) return;
  const { key } = await createUserKey(prisma, 'developer', { rpm: 1000 });
  await reloadKeys();
  const wentLocal = replicas.map((r) => nextEvent(r, 'local'));
  proxy.cut();
  try {
    await Promise.all(wentLocal);
    for (const replica of replicas) {
      expect((await health(replica)).breakers).toMatchObject({ mode: 'local', reason: 'Redis unavailable' });
      // The master key and an API key (its limiter fails open while Redis is away).
      expect((await chat(replica)).status).toBe(200);
      expect((await chat(replica, key)).status).toBe(200);
    }
  } finally {
    const back = replicas.map((r) => nextEvent(r, 'shared'));
    proxy.restore();
    await Promise.all(back);
  }
  for (const replica of replicas) expect((await health(replica)).breakers).toEqual({ mode: 'shared' });
  expect((await chat(replicas[0], key)).status).toBe(200);
});
