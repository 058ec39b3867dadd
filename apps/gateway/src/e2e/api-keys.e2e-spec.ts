/**
 * Per-user API keys at the gateway (SPEC §2.5): keys made in the login panel (here: rows in a
 * real PostgreSQL database) are accepted, limited per minute with OpenAI's rate-limit headers
 * and 429s, and stop working within one reload when revoked or when their user loses access.
 */
import OpenAI from 'openai';
import { generateApiKey } from '@orcest/auth';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, pinnedLimiterClock, startGateway, type RunningGateway } from '../testing/gateway-harness';

describe('API keys at the gateway', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let fake: FakeUpstream;
  let gateway: RunningGateway;

  async function newKey(role: 'developer' | 'viewer', limits: { rpm?: number; tpm?: number } = {}): Promise<{ key: string; id: string; userId: string }> {
    const user = await prisma.user.create({ data: { email: `u${Date.now()}${Math.random()}@test.local`, name: 'U', role, passwordHash: 'x' } });
    const generated = generateApiKey();
    const row = await prisma.apiKey.create({ data: { userId: user.id, name: 'test', prefix: generated.prefix, keyHash: generated.hash, rpmLimit: limits.rpm ?? null, tpmLimit: limits.tpm ?? null } });
    return { key: generated.key, id: row.id, userId: user.id };
  }

  const client = (apiKey: string): OpenAI => new OpenAI({ apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  const ask = (apiKey: string) => client(apiKey).chat.completions.create({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  const reload = () => gateway.app.get(GatewayContext).apiKeys?.reload();

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    fake = await startFakeOpenAi({ name: 'fake' });
    gateway = await startGateway(configYaml([{ model: 'openai/m', apiBase: fake.baseUrl }]), {
      RAINYMODEL_MASTER_KEY: 'sk-master',
      DATABASE_URL: db.url,
      RAINYMODEL_KEY_REFRESH_SECONDS: '1',
    }, { limiterClock: pinnedLimiterClock(5_000) });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('a key is an API key: answers carry the x-ratelimit headers; over the RPM limit → 429 with Retry-After', async () => {
    const { key } = await newKey('developer', { rpm: 2 });
    await reload();
    // Limits count in one-minute windows: don't start a sequence in a window's last seconds.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoWindow));
    fake.enqueue({ kind: 'answer', text: 'one' }, { kind: 'answer', text: 'two' });
    const first = await ask(key);
    expect(first.data.choices[0].message.content).toBe('one');
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.response.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+s$/);
    expect((await ask(key)).response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const refused = await ask(key).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const error = refused as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.code).toBe('rate_limit_exceeded');
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(error.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
  });

  it('an unknown key, a viewer\'s key, and a key revoked or whose user is deactivated are refused (401)', async () => {
    const unknown = await ask(generateApiKey().key).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.AuthenticationError);

    const viewer = await newKey('viewer');
    const revoked = await newKey('developer');
    const deactivated = await newKey('developer');
    await reload();
    expect(await ask(viewer.key).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
    fake.enqueue({ kind: 'answer' }, { kind: 'answer' });
    await ask(revoked.key);
    await ask(deactivated.key);

    await prisma.apiKey.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    await prisma.user.update({ where: { id: deactivated.userId }, data: { active: false } });
    // The gateway reloads on its own every second.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await ask(revoked.key).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(await ask(deactivated.key).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('the master key is not rate limited and /health names the modes', async () => {
    fake.enqueue({ kind: 'answer' }, { kind: 'answer' }, { kind: 'answer' });
    for (let i = 0; i < 3; i++) expect((await ask('sk-master')).response.headers.get('x-ratelimit-limit-requests')).toBeNull();
    expect(await (await fetch(`${gateway.url}/health`)).json()).toMatchObject({ auth: 'master_key+api_keys' });
  });

  it('tokens count against the tokens-per-minute limit once each answer is out', async () => {
    const { key } = await newKey('developer', { tpm: 15 });
    await reload();
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoWindow));
    fake.enqueue({ kind: 'answer', usage: { prompt: 7, completion: 3 } }, { kind: 'answer', usage: { prompt: 7, completion: 3 } });
    // Each request reserves its estimated prompt (5 tokens for "hi") until its real count is known.
    expect((await ask(key)).response.headers.get('x-ratelimit-remaining-tokens')).toBe('10');
    await new Promise((r) => setTimeout(r, 50));
    expect((await ask(key)).response.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
    await new Promise((r) => setTimeout(r, 50));
    const refused = await ask(key).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as InstanceType<typeof OpenAI.RateLimitError>).message).toContain('tokens per minute');
  });

  it('writes a usage record per request, off the hot path: who, alias, policy, tiers, upstream, tokens, status', async () => {
    const { key, id, userId } = await newKey('developer', { rpm: 1 });
    await reload();
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoWindow));
    fake.enqueue({ kind: 'answer', usage: { prompt: 11, completion: 4 } }, { kind: 'stream', chunks: 3 });
    await client(key).chat.completions.create({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-rainymodel-policy': 'premium' } });
    await ask(key).catch(() => undefined); // over the limit: a 429 is usage too
    const stream = await client('sk-master').chat.completions.create({ model: 'rainymodel/auto', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const _ of stream) void _;
    const rows = await waitForRows(3, { OR: [{ apiKeyId: id }, { authKind: 'master', stream: true }] });
    const [served, limited, master] = rows;
    expect(served).toMatchObject({ authKind: 'api_key', userId, apiKeyId: id, alias: 'rainymodel/auto', policy: 'premium', tiersTried: ['internal'], upstream: expect.any(String), stream: false, promptTokens: 11, completionTokens: 4, status: 200, complexity: 'simple' });
    expect(limited).toMatchObject({ apiKeyId: id, status: 429, tiersTried: [], upstream: null, complexity: null });
    expect(master).toMatchObject({ authKind: 'master', userId: null, stream: true, status: 200, tiersTried: ['internal'], upstream: served.upstream, complexity: 'simple' });
    expect(served.latencyMs).toBeGreaterThanOrEqual(0);
  });

  async function waitForRows(count: number, where: Parameters<PrismaClient['usageRecord']['findMany']>[0] extends infer A ? (A extends { where?: infer W } ? W : never) : never) {
    for (let i = 0; i < 50; i++) {
      const rows = await prisma.usageRecord.findMany({ where, orderBy: { id: 'asc' } });
      if (rows.length >= count) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`fewer than ${count} usage records after 5 s: ${JSON.stringify(await prisma.usageRecord.findMany(), (_k, v) => (typeof v === "bigint" ? String(v) : v))}`);
  }
});
