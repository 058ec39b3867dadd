/**
 * Issue 11, inbound Anthropic Messages, the shared machinery: fallback to the next deployment
 * before the first byte (whole and streamed, through the native and the translating paths),
 * an explicit `event: error` and no `message_stop` when the upstream fails after it, auth by
 * `x-api-key` and by `Authorization: Bearer` with users' API keys, the rate limit as a 429 in
 * Anthropic's shape, and usage records. Real gateway on loopback, keys and records in real
 * PostgreSQL, fake upstream servers, the real `@anthropic-ai/sdk`.
 */
import Anthropic from '@anthropic-ai/sdk';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { startFakeAnthropic, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, pinnedLimiterClock, startGateway, type RunningGateway } from '../testing/gateway-harness';
import { createUserKey, waitForUsageRows } from '../testing/user-keys';

const MASTER = 'sk-master';
const PINNED_CLOCK = pinnedLimiterClock(3_000);

/** The raw SSE text of a streamed `/v1/messages` answer: what the client actually received. */
async function streamText(url: string, key: string, model: string): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'go' }] }),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe('/v1/messages: fallback, failures after the first byte, auth, limits and usage (issue 11)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let anthropicA: FakeUpstream;
  let anthropicB: FakeUpstream;
  let openAiA: FakeUpstream;
  let openAiB: FakeUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    [anthropicA, anthropicB, openAiA, openAiB] = await Promise.all([
      startFakeAnthropic({ name: 'anthropic-a' }),
      startFakeAnthropic({ name: 'anthropic-b' }),
      startFakeOpenAi({ name: 'openai-a' }),
      startFakeOpenAi({ name: 'openai-b' }),
    ]);
    gateway = await startGateway(
      configYaml([
        { alias: 'rainymodel/native', model: 'anthropic/claude-a', apiBase: anthropicA.baseUrl, id: 'claude-a', tier: 'direct' },
        { alias: 'rainymodel/native', model: 'anthropic/claude-b', apiBase: anthropicB.baseUrl, id: 'claude-b', tier: 'direct' },
        { alias: 'rainymodel/translated', model: 'openai/gpt-a', apiBase: openAiA.baseUrl, id: 'gpt-a', tier: 'direct' },
        { alias: 'rainymodel/translated', model: 'openai/gpt-b', apiBase: openAiB.baseUrl, id: 'gpt-b', tier: 'direct' },
        // Every test starts with the first deployment in favour: no circuit opens along the way.
      ], { allowed_fails: 1000 }),
      { RAINYMODEL_MASTER_KEY: MASTER, DATABASE_URL: db.url, RAINYMODEL_KEY_REFRESH_SECONDS: '60' },
      { limiterClock: PINNED_CLOCK },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([anthropicA?.close(), anthropicB?.close(), openAiA?.close(), openAiB?.close()]);
    await prisma?.$disconnect();
    await db?.drop();
  });
  beforeEach(() => {
    for (const fake of [anthropicA, anthropicB, openAiA, openAiB]) fake.reset();
  });

  const client = (options: { apiKey?: string; authToken?: string } = { apiKey: MASTER }) => new Anthropic({ ...options, baseURL: gateway.url, maxRetries: 0 });

  describe.each([
    ['native (Anthropic upstream)', 'rainymodel/native', () => [anthropicA, anthropicB], 'claude-a:http_503'],
    ['translated (OpenAI upstream)', 'rainymodel/translated', () => [openAiA, openAiB], 'gpt-a:http_503'],
  ] as const)('%s', (_name, alias, fakes, reason) => {
    it('falls back to the next deployment before the first byte (whole answer)', async () => {
      const [first, second] = fakes();
      first.enqueue({ kind: 'status', status: 503, message: 'overloaded' });
      second.enqueue({ kind: 'answer', text: 'from b' });
      const { data, response } = await client().messages.create({ model: alias, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      expect(data.content).toEqual([{ type: 'text', text: 'from b' }]);
      expect(response.headers.get('x-rainymodel-fallback-reason')).toBe(reason);
      expect(response.headers.get('x-rainymodel-tried')).toMatch(/-a,.*-b$/);
    });

    it('falls back before the first byte (stream cut before any content)', async () => {
      const [first, second] = fakes();
      first.enqueue({ kind: 'cut-stream', afterChunks: 0 });
      second.enqueue({ kind: 'stream', chunks: 3 });
      const stream = client().messages.stream({ model: alias, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
      const final = await stream.finalMessage();
      expect(final.content).toEqual([{ type: 'text', text: 'tok0 tok1 tok2 ' }]);
      expect(first.hits).toBe(1);
      expect(second.hits).toBe(1);
    });

    it('ends a stream that fails after the first byte with event: error and no message_stop', async () => {
      const [first, second] = fakes();
      first.enqueue({ kind: 'cut-stream', afterChunks: 2 });
      const { status, text } = await streamText(gateway.url, MASTER, alias);
      expect(status).toBe(200);
      expect(text).toContain('tok0 ');
      expect(text).toContain('tok1 ');
      expect(text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"Upstream stream failed after it began: [^"]+"\}\}\n\n$/);
      expect(text).not.toContain('message_stop');
      // Committed: no fallback after the first byte.
      expect(second.hits).toBe(0);

      // The SDK raises it rather than returning a truncated message.
      first.enqueue({ kind: 'cut-stream', afterChunks: 2 });
      const error = await client()
        .messages.stream({ model: alias, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
        .finalMessage()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(String(error)).toContain('Upstream stream failed after it began');
    });

    it('ends with event: error when the upstream reports an error mid-stream', async () => {
      const [first] = fakes();
      // The chunks leave apart from the error event, so the stream is committed before it comes.
      first.enqueue({ kind: 'error-event', afterChunks: 2, chunkDelayMs: 150, message: 'overloaded mid-way' });
      const { text } = await streamText(gateway.url, MASTER, alias);
      expect(text).toContain('event: error');
      expect(text).toContain('overloaded mid-way');
      expect(text).not.toContain('message_stop');
    });
  });

  it('takes users\' API keys as x-api-key and as Authorization: Bearer, limits them with 429 in Anthropic\'s shape, and records usage', async () => {
    const { key, id } = await createUserKey(prisma, 'developer', { rpm: 2 });
    await gateway.app.get(GatewayContext).apiKeys?.reload();
    anthropicA.enqueue({ kind: 'answer', text: 'one', usage: { prompt: 11, completion: 4 } });
    openAiA.enqueue({ kind: 'stream', chunks: 3 });

    const viaApiKey = await client({ apiKey: key }).messages.create({ model: 'rainymodel/native', max_tokens: 20, messages: [{ role: 'user', content: 'a' }] });
    expect(viaApiKey.content).toEqual([{ type: 'text', text: 'one' }]);
    const viaBearer = await client({ authToken: key }).messages.stream({ model: 'rainymodel/translated', max_tokens: 20, messages: [{ role: 'user', content: 'b' }] }).finalMessage();
    expect(viaBearer.content).toEqual([{ type: 'text', text: 'tok0 tok1 tok2 ' }]);

    const limited = await client({ apiKey: key })
      .messages.create({ model: 'rainymodel/native', max_tokens: 20, messages: [{ role: 'user', content: 'c' }] })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect((limited as InstanceType<typeof Anthropic.APIError>).headers?.get('retry-after')).toMatch(/^\d+$/);

    const rows = await waitForUsageRows(prisma, 3, { apiKeyId: id });
    expect(rows[0]).toMatchObject({ alias: 'rainymodel/native', upstream: 'claude-a', servedModel: 'claude-a', stream: false, promptTokens: 11, completionTokens: 4, usageEstimated: false, status: 200, authKind: 'api_key' });
    expect(rows[1]).toMatchObject({ alias: 'rainymodel/translated', upstream: 'gpt-a', servedModel: 'gpt-a', stream: true, completionTokens: 3, status: 200 });
    expect(rows[2]).toMatchObject({ upstream: null, status: 429 });
  });

  it('refuses a wrong x-api-key and a missing key with 401 in Anthropic\'s shape', async () => {
    for (const headers of [{ 'x-api-key': 'sk-nope' }, {}] as Array<Record<string, string>>) {
      const response = await fetch(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'rainymodel/native', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    }
    const counted = await fetch(`${gateway.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-nope', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rainymodel/native', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(counted.status).toBe(401);
    expect(anthropicA.hits + anthropicB.hits).toBe(0);
  });
});
