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
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

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
    });
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
});
