/**
 * Every usage record says which endpoint was called (`usage_records.endpoint`, the route path
 * without its query string), whatever the client protocol. Real gateway on loopback, one fake
 * OpenAI upstream serving chat and embeddings, keys and records in real PostgreSQL.
 */
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';
import { createUserKey, waitForUsageRows } from '../testing/user-keys';

describe('usage records carry the endpoint called', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let upstream: FakeUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    upstream = await startFakeOpenAi({ name: 'openai' });
    gateway = await startGateway(
      configYaml([
        { alias: 'u/chat', model: 'openai/gpt-test', apiBase: upstream.baseUrl, id: 'chat-dep', extraInfo: 'tier: direct' },
        { alias: 'u/embed', model: 'openai/text-embedding-3-small', apiBase: upstream.baseUrl, id: 'embed-dep', extraInfo: 'tier: direct, mode: embedding' },
      ]),
      { RAINYMODEL_MASTER_KEY: 'sk-master', DATABASE_URL: db.url, RAINYMODEL_KEY_REFRESH_SECONDS: '60' },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await prisma?.$disconnect();
    await db?.drop();
  });

  /** POSTs `body` to `path` with the key; the answer's status and request id (what its usage record is found by). */
  async function call(key: string, path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    const res = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return { status: res.status, requestId: res.headers.get('x-request-id') ?? '' };
  }

  it('one record per request, each with its route path, for every client protocol', async () => {
    const { key, id } = await createUserKey(prisma, 'developer');
    await gateway.app.get(GatewayContext).apiKeys?.reload();
    const messages = [{ role: 'user', content: 'hi' }];
    const calls = {
      '/v1/chat/completions': await call(key, '/v1/chat/completions', { model: 'u/chat', messages }),
      '/v1/embeddings': await call(key, '/v1/embeddings', { model: 'u/embed', input: 'a' }),
      // The query string is not part of the endpoint (Claude Code calls `/v1/messages?beta=true`).
      '/v1/messages': await call(key, '/v1/messages?beta=true', { model: 'u/chat', max_tokens: 16, messages }, { 'anthropic-version': '2023-06-01' }),
      '/v1/responses': await call(key, '/v1/responses', { model: 'u/chat', input: 'hi', store: false }),
      '/v1/completions': await call(key, '/v1/completions', { model: 'u/chat', prompt: 'hi' }),
    };
    for (const { status } of Object.values(calls)) expect(status).toBe(200);

    const rows = await waitForUsageRows(prisma, 5, { apiKeyId: id });
    const endpointOf = new Map(rows.map((row) => [row.requestId, row.endpoint]));
    expect(Object.fromEntries(Object.entries(calls).map(([path, { requestId }]) => [path, endpointOf.get(requestId)]))).toEqual({
      '/v1/chat/completions': '/v1/chat/completions',
      '/v1/embeddings': '/v1/embeddings',
      '/v1/messages': '/v1/messages',
      '/v1/responses': '/v1/responses',
      '/v1/completions': '/v1/completions',
    });
  });

  it('a request refused before it was served is recorded with its endpoint too', async () => {
    const { key, id } = await createUserKey(prisma, 'developer');
    await gateway.app.get(GatewayContext).apiKeys?.reload();
    const refused = await call(key, '/v1/embeddings', { model: 'no/such-alias', input: 'a' });
    expect(refused.status).toBe(404);
    const [row] = await waitForUsageRows(prisma, 1, { apiKeyId: id });
    expect(row).toMatchObject({ requestId: refused.requestId, endpoint: '/v1/embeddings', status: 404, upstream: null });
  });
});
