/**
 * Issue 12 (usage ledger): every usage record carries its cost, computed once when the answer is
 * out from the serving deployment's prices (`model_info` here) and the tokens used, plus the
 * deployment and upstream model that served it and whether the tokens were estimated. Real
 * gateway on loopback, keys and records in real PostgreSQL, fake upstreams reporting usage.
 */
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';
import { createUserKey, waitForUsageRows } from '../testing/user-keys';

describe('usage records carry cost, served model and deployment (issue 12)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let priced: FakeUpstream;
  let unpriced: FakeUpstream;
  let silent: FakeUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    priced = await startFakeOpenAi({ name: 'priced' });
    unpriced = await startFakeOpenAi({ name: 'unpriced' });
    // A server that ignores include_usage: its streams' tokens are the gateway's estimate.
    silent = await startFakeOpenAi({ name: 'silent', ignoreIncludeUsage: true });
    const prices = 'input_cost_per_token: 0.000002, output_cost_per_token: 0.00001';
    gateway = await startGateway(
      configYaml([
        { alias: 'rainymodel/priced', model: 'openai/priced-model', apiBase: priced.baseUrl, id: 'priced-dep', extraInfo: `tier: direct, ${prices}` },
        { alias: 'rainymodel/unpriced', model: 'openai/no-such-model-anywhere', apiBase: unpriced.baseUrl, id: 'unpriced-dep', extraInfo: 'tier: direct' },
        { alias: 'rainymodel/silent', model: 'openai/silent-model', apiBase: silent.baseUrl, id: 'silent-dep', extraInfo: `tier: direct, ${prices}` },
      ]),
      { RAINYMODEL_MASTER_KEY: 'sk-master', DATABASE_URL: db.url, RAINYMODEL_KEY_REFRESH_SECONDS: '60' },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([priced?.close(), unpriced?.close(), silent?.close()]);
    await prisma?.$disconnect();
    await db?.drop();
  });

  const chat = (key: string, model: string, body: Record<string, unknown> = {}) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...body }),
    });

  it('prices the upstream\'s counts with model_info, and says what served it', async () => {
    const { key, id } = await createUserKey(prisma, 'developer');
    await gateway.app.get(GatewayContext).apiKeys?.reload();
    priced.enqueue({ kind: 'answer', usage: { prompt: 1000, completion: 100 } });
    expect((await chat(key, 'rainymodel/priced')).status).toBe(200);
    const [row] = await waitForUsageRows(prisma, 1, { apiKeyId: id });
    expect(row).toMatchObject({ upstream: 'priced-dep', servedModel: 'priced-model', promptTokens: 1000, completionTokens: 100, usageEstimated: false, status: 200 });
    // 1000 × 0.000002 + 100 × 0.00001
    expect(row.costUsd).toBeCloseTo(0.003, 12);
  });

  it('a deployment without a known price leaves the cost null ("unpriced", not free); an unserved request has no cost', async () => {
    const { key, id } = await createUserKey(prisma, 'developer');
    await gateway.app.get(GatewayContext).apiKeys?.reload();
    unpriced.enqueue({ kind: 'answer', usage: { prompt: 10, completion: 5 } }, { kind: 'status', status: 503 });
    expect((await chat(key, 'rainymodel/unpriced')).status).toBe(200);
    expect((await chat(key, 'rainymodel/unpriced')).status).toBe(502);
    const [served, failed] = await waitForUsageRows(prisma, 2, { apiKeyId: id });
    expect(served).toMatchObject({ upstream: 'unpriced-dep', servedModel: 'no-such-model-anywhere', costUsd: null, usageEstimated: false });
    expect(failed).toMatchObject({ status: 502, upstream: null, servedModel: null, costUsd: null, usageEstimated: null });
  });

  it('a stream whose upstream reported no usage is priced on the estimate, and marked estimated', async () => {
    const { key, id } = await createUserKey(prisma, 'developer');
    await gateway.app.get(GatewayContext).apiKeys?.reload();
    silent.enqueue({ kind: 'stream', chunks: 4 });
    const res = await chat(key, 'rainymodel/silent', { stream: true });
    await res.text();
    const [row] = await waitForUsageRows(prisma, 1, { apiKeyId: id });
    expect(row).toMatchObject({ upstream: 'silent-dep', usageEstimated: true, stream: true });
    expect(row.promptTokens).toBeGreaterThan(0);
    expect(row.completionTokens).toBeGreaterThan(0);
    expect(row.costUsd).toBeCloseTo((row.promptTokens as number) * 0.000002 + (row.completionTokens as number) * 0.00001, 12);
  });
});
