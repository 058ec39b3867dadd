/**
 * Issue 8, gateway auth (items 6, 8 and 10), against the real gateway on loopback with API keys
 * in real PostgreSQL and SSO tokens from a fake issuer:
 * - open mode (no master key) still checks, limits and records a presented API key or SSO
 *   token; only a request with no credential we know is let in, as `open`;
 * - /metrics and /health/upstreams take the master key or RAINYMODEL_METRICS_KEY, never a
 *   user's credential (403), and are open only when the whole gateway is;
 * - a master key that looks like an API key (or a JWT) is still the master key.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'undici';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { FakeTokenIssuer, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, pinnedLimiterClock, startGateway, type RunningGateway } from '../testing/gateway-harness';
import { createUserKey, waitForUsageRows } from '../testing/user-keys';

const AUDIENCE = 'http://gateway.test';
const METRICS_KEY = 'scrape-me-please';
/** Mid-window, so a sequence of requests never straddles a limit window. */
const PINNED_CLOCK = pinnedLimiterClock(1_000);

describe('gateway auth hardening (issue 8 items 6, 8, 10)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let fake: FakeUpstream;
  let issuer: FakeTokenIssuer;
  const gateways: RunningGateway[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    fake = await startFakeOpenAi({ name: 'fake' });
    issuer = await FakeTokenIssuer.start(AUDIENCE);
  });
  afterAll(async () => {
    for (const g of gateways) await g.close();
    await issuer?.close();
    await fake?.close();
    await prisma?.$disconnect();
    await db?.drop();
  });

  async function boot(env: Record<string, string>): Promise<RunningGateway> {
    const gateway = await startGateway(configYaml([{ model: 'openai/m', apiBase: fake.baseUrl }]), { RAINYMODEL_AUDIENCE: AUDIENCE, ...env }, { limiterClock: PINNED_CLOCK });
    gateways.push(gateway);
    return gateway;
  }
  const withDatabase = () => ({ DATABASE_URL: db.url, RAINYMODEL_KEY_REFRESH_SECONDS: '60' });
  const withSso = () => ({ RAINYMODEL_SSO_ISSUER: issuer.url });
  const reload = (g: RunningGateway) => g.app.get(GatewayContext).apiKeys?.reload();

  function chat(g: RunningGateway, bearer?: string, requestId = randomUUID()): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': requestId };
    if (bearer !== undefined) headers['authorization'] = `Bearer ${bearer}`;
    return fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }) });
  }
  const get = (g: RunningGateway, path: string, bearer?: string): Promise<Response> =>
    fetch(`${g.url}${path}`, { headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` } });
  const errorCode = async (res: Response): Promise<unknown> => ((await res.json()) as { error: { code: unknown } }).error.code;

  describe('open mode (no master key) with API keys and SSO configured', () => {
    let gateway: RunningGateway;
    beforeAll(async () => {
      gateway = await boot({ ...withDatabase(), ...withSso(), RAINYMODEL_METRICS_KEY: METRICS_KEY });
    });

    it('lets in a request without credentials, or with a token of no configured kind, recorded as open', async () => {
      const ids = [randomUUID(), randomUUID()];
      expect((await chat(gateway, undefined, ids[0])).status).toBe(200);
      expect((await chat(gateway, 'none', ids[1])).status).toBe(200);
      const rows = await waitForUsageRows(prisma, 2, { requestId: { in: ids } });
      expect(rows.map((r) => r.authKind)).toEqual(['open', 'open']);
      expect(await (await get(gateway, '/health')).json()).toMatchObject({ auth: 'open+api_keys+sso' });
    });

    it('refuses an unknown or revoked API key (401) instead of letting it in', async () => {
      const unknown = await chat(gateway, (await createUserKey(prisma, 'developer')).key.slice(0, -4) + 'AAAA');
      expect(unknown.status).toBe(401);
      expect(await errorCode(unknown)).toBe('invalid_api_key');
      const viewer = await createUserKey(prisma, 'viewer');
      await reload(gateway);
      expect((await chat(gateway, viewer.key)).status).toBe(401);
    });

    it('limits a valid API key (x-ratelimit headers, 429 over its limit) and records it as its user', async () => {
      const { key, id, userId } = await createUserKey(prisma, 'developer', { rpm: 1 });
      await reload(gateway);
      const first = await chat(gateway, key);
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-limit-requests')).toBe('1');
      expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      const second = await chat(gateway, key);
      expect(second.status).toBe(429);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
      const rows = await waitForUsageRows(prisma, 2, { apiKeyId: id });
      expect(rows.map((r) => [r.authKind, r.userId, r.status])).toEqual([
        ['api_key', userId, 200],
        ['api_key', userId, 429],
      ]);
    });

    it('verifies an SSO token: a bad one is 401, a viewer\'s 403, a developer\'s is recorded as its user', async () => {
      expect((await chat(gateway, await issuer.sign({ expiresIn: -5 }))).status).toBe(401);
      expect((await chat(gateway, await issuer.sign({ unpublishedKey: true }))).status).toBe(401);
      expect((await chat(gateway, await issuer.sign({ role: 'viewer' }))).status).toBe(403);
      const sub = randomUUID();
      const requestId = randomUUID();
      expect((await chat(gateway, await issuer.sign({ sub }), requestId)).status).toBe(200);
      const [row] = await waitForUsageRows(prisma, 1, { requestId });
      expect(row).toMatchObject({ authKind: 'sso', userId: sub });
    });

    it('/metrics and /health/upstreams take only the metrics key: 401 without it, 403 for a user\'s key', async () => {
      const { key } = await createUserKey(prisma, 'developer');
      await reload(gateway);
      for (const path of ['/metrics', '/health/upstreams']) {
        expect((await get(gateway, path)).status).toBe(401);
        expect((await get(gateway, path, 'none')).status).toBe(401);
        const user = await get(gateway, path, key);
        expect(user.status).toBe(403);
        expect(await errorCode(user)).toBe('operator_key_required');
        expect((await get(gateway, path, METRICS_KEY)).status).toBe(200);
      }
    });
  });

  describe('operator endpoints with a master key', () => {
    let gateway: RunningGateway;
    beforeAll(async () => {
      gateway = await boot({ ...withDatabase(), ...withSso(), RAINYMODEL_MASTER_KEY: 'sk-master', RAINYMODEL_METRICS_KEY: METRICS_KEY });
    });

    it.each(['/metrics', '/health/upstreams'])('%s: master or metrics key 200; a user\'s API key or SSO token 403; none or a bad one 401', async (path) => {
      const { key } = await createUserKey(prisma, 'developer');
      await reload(gateway);
      expect((await get(gateway, path, 'sk-master')).status).toBe(200);
      expect((await get(gateway, path, METRICS_KEY)).status).toBe(200);
      expect((await get(gateway, path, key)).status).toBe(403);
      expect((await get(gateway, path, await issuer.sign({ role: 'developer' }))).status).toBe(403);
      expect((await get(gateway, path)).status).toBe(401);
      expect((await get(gateway, path, 'wrong')).status).toBe(401);
      expect((await get(gateway, path, await issuer.sign({ expiresIn: -5 }))).status).toBe(401);
      const unknownKey = await get(gateway, path, key.slice(0, -4) + 'AAAA');
      expect(unknownKey.status).toBe(401);
      expect(unknownKey.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('on one keep-alive connection every request\'s key is judged afresh (its digest is remembered per connection, nothing else)', async () => {
      const { key, id } = await createUserKey(prisma, 'developer');
      await reload(gateway);
      const client = new Client(gateway.url, { pipelining: 1 });
      let connects = 0;
      client.on('connect', () => connects++);
      const status = async (bearer: string): Promise<number> => {
        const res = await client.request({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }) });
        await res.body.text();
        return res.statusCode;
      };
      try {
        expect(await status('sk-master')).toBe(200);
        expect(await status('sk-mastex')).toBe(401);
        expect(await status('sk-master')).toBe(200);
        expect(await status(key)).toBe(200);
        await prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
        await reload(gateway);
        expect(await status(key)).toBe(401);
        expect(await status('sk-master')).toBe(200);
        expect(connects).toBe(1);
      } finally {
        await client.close();
      }
    });

    it('the metrics key is not an API key: it cannot spend tokens', async () => {
      expect((await chat(gateway, METRICS_KEY)).status).toBe(401);
      expect((await chat(gateway, 'sk-master')).status).toBe(200);
    });
  });

  describe('operator endpoints without a master key or metrics key', () => {
    it('are open when the whole gateway is (no keys, no SSO)', async () => {
      const open = await boot({});
      expect((await get(open, '/metrics')).status).toBe(200);
      expect((await get(open, '/health/upstreams')).status).toBe(200);
    });

    it('are closed (401) as soon as users have credentials of their own', async () => {
      const withKeys = await boot(withDatabase());
      expect((await get(withKeys, '/metrics')).status).toBe(401);
      expect((await get(withKeys, '/health/upstreams')).status).toBe(401);
      const withTokens = await boot(withSso());
      expect((await get(withTokens, '/health/upstreams')).status).toBe(401);
      expect((await get(withTokens, '/metrics', await issuer.sign({ role: 'developer' }))).status).toBe(403);
    });
  });

  describe('a master key whatever its text (item 10)', () => {
    it.each([
      ['looks like an API key', `rm-${'M'.repeat(43)}`],
      ['looks like a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYXN0ZXIifQ.c2lnbmF0dXJlLW5vdC1jaGVja2Vk'],
    ])('a master key that %s works on every endpoint, with API keys and SSO configured', async (_what, masterKey) => {
      const gateway = await boot({ ...withDatabase(), ...withSso(), RAINYMODEL_MASTER_KEY: masterKey });
      const requestId = randomUUID();
      expect((await chat(gateway, masterKey, requestId)).status).toBe(200);
      expect((await get(gateway, '/v1/models', masterKey)).status).toBe(200);
      expect((await get(gateway, '/metrics', masterKey)).status).toBe(200);
      expect((await get(gateway, '/health/upstreams', masterKey)).status).toBe(200);
      const [row] = await waitForUsageRows(prisma, 1, { requestId });
      expect(row.authKind).toBe('master');
      // A near miss is still refused.
      expect((await chat(gateway, masterKey.slice(0, -1) + 'x')).status).toBe(401);
    });
  });
});
