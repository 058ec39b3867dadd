/**
 * POST /v1/embeddings (issue 11) against the real gateway on loopback, with the real `openai`
 * SDK (which asks base64 by default and decodes it), fake OpenAI and Ollama servers speaking
 * their embeddings wire shapes, API keys and usage records in real PostgreSQL:
 * - float and base64, string and array input, `dimensions`, through OpenAI's `/embeddings`,
 *   Ollama's `/api/embed`, and a compatible server that only speaks floats;
 * - fallback between deployments of one vector length, and none across lengths (declared, or
 *   learned from an answer), with the reason in the routing headers;
 * - a caller's bad input is OpenAI's 400 and never reaches an upstream; auth, rate limits and
 *   usage records (prompt tokens only, priced at the input price) as for chat.
 */
import OpenAI from 'openai';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { DEFAULT_EMBEDDING_DIMENSION, fakeTokenCount, fakeVector, startFakeOllama, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, pinnedLimiterClock, startGateway, type RunningGateway } from '../testing/gateway-harness';
import { createUserKey, waitForUsageRows } from '../testing/user-keys';

const MASTER = 'sk-master';
const D = DEFAULT_EMBEDDING_DIMENSION;
const EMBED = (size?: number, extra = '') => `mode: embedding${size === undefined ? '' : `, output_vector_size: ${size}`}${extra}`;
const PINNED_CLOCK = pinnedLimiterClock(3_000);

describe('POST /v1/embeddings (issue 11)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let openai: FakeUpstream;
  let compat: FakeUpstream;
  let ollama: FakeUpstream;
  let first: FakeUpstream;
  let second: FakeUpstream;
  let wide: FakeUpstream;
  let learnA: FakeUpstream;
  let learnB: FakeUpstream;
  let chat: FakeUpstream;
  let gateway: RunningGateway;
  let client: OpenAI;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    [openai, compat, ollama, first, second, wide, learnA, learnB, chat] = await Promise.all([
      startFakeOpenAi({ name: 'openai' }),
      startFakeOpenAi({ name: 'compat', floatOnly: true }),
      startFakeOllama({ name: 'ollama' }),
      startFakeOllama({ name: 'first' }),
      startFakeOpenAi({ name: 'second' }),
      startFakeOpenAi({ name: 'wide' }),
      startFakeOpenAi({ name: 'learn-a' }),
      startFakeOpenAi({ name: 'learn-b' }),
      startFakeOpenAi({ name: 'chat' }),
    ]);
    gateway = await startGateway(
      configYaml([
        { alias: 'e/openai', model: 'openai/text-embedding-3-small', apiBase: openai.baseUrl, id: 'oa', extraInfo: `tier: direct, ${EMBED(undefined, ', input_cost_per_token: 0.00000002')}` },
        { alias: 'e/compat', model: 'openai/bge', apiBase: compat.baseUrl, id: 'compat', extraInfo: EMBED() },
        { alias: 'e/ollama', model: 'ollama/nomic-embed-text', apiBase: ollama.baseUrl, id: 'ollama', extraInfo: EMBED(D) },
        // Same length: fallback allowed. `wide` answers 16 values: never a fallback for an 8-value request.
        { alias: 'e/same', model: 'ollama/nomic-embed-text', apiBase: first.baseUrl, id: 'first', tier: 'internal', extraInfo: EMBED(D) },
        { alias: 'e/same', model: 'openai/text-embedding-3-small', apiBase: wide.baseUrl, id: 'wide', tier: 'direct', extraInfo: EMBED(16) },
        { alias: 'e/same', model: 'openai/text-embedding-3-small', apiBase: second.baseUrl, id: 'second', tier: 'direct', extraInfo: EMBED(D) },
        // Nothing declared: lengths are learned from answers.
        { alias: 'e/learn', model: 'openai/a', apiBase: learnA.baseUrl, id: 'learn-a', tier: 'internal', extraInfo: EMBED() },
        { alias: 'e/learn', model: 'openai/b', apiBase: learnB.baseUrl, id: 'learn-b', tier: 'direct', extraInfo: EMBED() },
        { alias: 'rainymodel/auto', model: 'openai/gpt-test', apiBase: chat.baseUrl, id: 'chat' },
        // Circuits stay closed through the scripted failures, so each test sees the policy's whole order.
      ], { allowed_fails: 100 }),
      { RAINYMODEL_MASTER_KEY: MASTER, DATABASE_URL: db.url, RAINYMODEL_KEY_REFRESH_SECONDS: '60' },
      { limiterClock: PINNED_CLOCK },
    );
    client = new OpenAI({ apiKey: MASTER, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([openai, compat, ollama, first, second, wide, learnA, learnB, chat].map((f) => f?.close()));
    await prisma?.$disconnect();
    await db?.drop();
  });
  beforeEach(() => [openai, compat, ollama, first, second, wide, learnA, learnB, chat].forEach((f) => f.reset()));

  const post = (body: unknown, key = MASTER, path = '/v1/embeddings'): Promise<Response> =>
    fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  describe('with the openai SDK', () => {
    it('default call (base64 asked and decoded by the SDK), one string: the fake\'s float32 vector, usage and routing headers', async () => {
      const { data, response } = await client.embeddings.create({ model: 'e/openai', input: 'The quick brown fox' }).withResponse();
      expect(data.object).toBe('list');
      expect(data.data).toHaveLength(1);
      expect(data.data[0]?.embedding).toEqual(fakeVector('The quick brown fox', D));
      expect(data.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
      expect(openai.requests[0]?.body).toEqual({ model: 'text-embedding-3-small', input: 'The quick brown fox', encoding_format: 'base64' });
      expect(response.headers.get('x-rainymodel-upstream')).toBe('openai-compatible');
      expect(response.headers.get('x-rainymodel-model')).toBe('text-embedding-3-small');
      expect(response.headers.get('x-rainymodel-route')).toBe('direct');
      expect(response.headers.get('x-rainymodel-dimensions')).toBe(String(D));
      expect(response.headers.get('x-rainymodel-policy')).toBe('auto');
      expect(Number(response.headers.get('x-rainymodel-overhead-ms'))).toBeGreaterThanOrEqual(0);
    });

    it('float, an array of strings, and dimensions', async () => {
      const inputs = ['one', 'two words', 'three little words'];
      const floats = await client.embeddings.create({ model: 'e/openai', input: inputs, encoding_format: 'float', dimensions: 5 });
      expect(floats.data.map((d) => d.index)).toEqual([0, 1, 2]);
      expect(floats.data.map((d) => d.embedding)).toEqual(inputs.map((text) => fakeVector(text, 5)));
      expect(openai.requests[0]?.body).toMatchObject({ dimensions: 5, encoding_format: 'float' });
      // base64 the client decodes itself: float32 little-endian.
      const base64 = await client.embeddings.create({ model: 'e/openai', input: inputs, encoding_format: 'base64' });
      const first64 = base64.data[0]?.embedding as unknown as string;
      expect(typeof first64).toBe('string');
      const bytes = Buffer.from(first64, 'base64');
      expect(Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4))).toEqual(fakeVector('one', D));
    });

    it('a compatible server that only speaks floats still gives the SDK the base64 it asked for', async () => {
      const answer = await client.embeddings.create({ model: 'e/compat', input: ['a', 'b'] });
      expect(compat.requests[0]?.body).toMatchObject({ encoding_format: 'base64' });
      expect(answer.data.map((d) => d.embedding)).toEqual([fakeVector('a', D), fakeVector('b', D)]);
    });

    it('Ollama /api/embed: translated both ways, in either encoding', async () => {
      const sdk = await client.embeddings.create({ model: 'e/ollama', input: ['hello there', 'x'] });
      expect(ollama.requests[0]).toMatchObject({ path: '/api/embed', body: { model: 'nomic-embed-text', input: ['hello there', 'x'] } });
      expect(sdk.data.map((d) => d.embedding)).toEqual([fakeVector('hello there', D), fakeVector('x', D)]);
      expect(sdk.model).toBe('nomic-embed-text');
      expect(sdk.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
      const floats = await client.embeddings.create({ model: 'e/ollama', input: 'hi', encoding_format: 'float', dimensions: D });
      expect(ollama.requests[1]?.body).toEqual({ model: 'nomic-embed-text', input: 'hi', dimensions: D });
      expect(floats.data).toEqual([{ object: 'embedding', index: 0, embedding: fakeVector('hi', D) }]);
    });

    it('token-array input goes to an OpenAI upstream; to Ollama (text only) it is a clear 400', async () => {
      const tokens = await client.embeddings.create({ model: 'e/openai', input: [[1, 2, 3], [4]], encoding_format: 'float' });
      expect(tokens.data.map((d) => d.embedding)).toEqual([fakeVector([1, 2, 3], D), fakeVector([4], D)]);
      const refused = await post({ model: 'e/ollama', input: [1, 2, 3] });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'unsupported_input', message: expect.stringContaining('ollama:text_only') });
      expect(refused.headers.get('x-rainymodel-skipped')).toBe('ollama:text_only');
      expect(ollama.hits).toBe(0);
    });
  });

  describe('fallback and vector lengths', () => {
    it('falls back to a deployment of the same length, skipping one of another length, and says so', async () => {
      first.enqueue({ kind: 'status', status: 503 });
      const res = await post({ model: 'e/same', input: 'hi' });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-rainymodel-tried')).toBe('first,second');
      expect(res.headers.get('x-rainymodel-fallback-reason')).toBe('first:http_503');
      expect(res.headers.get('x-rainymodel-skipped')).toBe('wide:dimension_16');
      expect(res.headers.get('x-rainymodel-upstream')).toBe('openai-compatible');
      expect(((await res.json()) as { data: Array<{ embedding: number[] }> }).data[0]?.embedding).toEqual(fakeVector('hi', D));
      expect(wide.hits).toBe(0);
    });

    it('never falls back across lengths: with the same-length fallback down too, the answer is a 502, not other vectors', async () => {
      first.enqueue({ kind: 'status', status: 503 });
      second.enqueue({ kind: 'status', status: 500 });
      const res = await post({ model: 'e/same', input: 'hi' });
      expect(res.status).toBe(502);
      expect(res.headers.get('x-rainymodel-skipped')).toBe('wide:dimension_16');
      expect(res.headers.get('x-rainymodel-tried')).toBe('first,second');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('all_upstreams_failed');
      expect(wide.hits).toBe(0);
    });

    it('a request asking `dimensions` may use every deployment that honours it, the 16-value one included', async () => {
      first.enqueue({ kind: 'status', status: 503 });
      const res = await post({ model: 'e/same', input: 'hi', dimensions: 6 });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-rainymodel-skipped')).toBeNull();
      expect(res.headers.get('x-rainymodel-tried')).toBe('first,wide');
      expect(res.headers.get('x-rainymodel-dimensions')).toBe('6');
      expect(wide.requests[0]?.body).toMatchObject({ dimensions: 6 });
    });

    it('learns a length from the first answer and refuses an answer of another length (skipped after it came, health untouched)', async () => {
      // learn-a answers first: the alias's vectors are 8 long from now on.
      expect((await post({ model: 'e/learn', input: 'x' })).status).toBe(200);
      expect(gateway.app.get(GatewayContext).embeddings.dimensions.expected(gateway.app.get(GatewayContext).registry.forAlias('e/learn')[0]!, {})).toBe(D);
      learnA.enqueue({ kind: 'status', status: 503 });
      learnB.enqueue({ kind: 'answer', dimension: 12 });
      const res = await post({ model: 'e/learn', input: 'x' });
      expect(res.status).toBe(502);
      expect(res.headers.get('x-rainymodel-tried')).toBe('learn-a,learn-b');
      expect(res.headers.get('x-rainymodel-fallback-reason')).toBe('learn-a:http_503,learn-b:dimension_12');
      expect(learnB.hits).toBe(1);
      const b = gateway.app.get(GatewayContext).registry.forAlias('e/learn')[1]!;
      expect(b.health.failures).toBe(0);
      expect(b.health.breaker.state(Date.now())).toBe('closed');
    });
  });

  describe('bad input is a 400 in OpenAI\'s shape, and no upstream hears of it', () => {
    const cases: Array<[string, unknown, string | null]> = [
      ['no input', { model: 'e/openai' }, 'input'],
      ['an empty string', { model: 'e/openai', input: '' }, 'input'],
      ['an empty array', { model: 'e/openai', input: [] }, 'input'],
      ['an empty string in the array', { model: 'e/openai', input: ['a', ''] }, 'input[1]'],
      ['a number where text goes', { model: 'e/openai', input: ['a', 3] }, 'input[1]'],
      ['an object', { model: 'e/openai', input: { text: 'a' } }, 'input'],
      ['a NUL character', { model: 'e/openai', input: ['ok', 'bad\u0000text'] }, 'input[1]'],
      ['a negative token id', { model: 'e/openai', input: [[1, -2]] }, 'input[0]'],
      ['a fractional token id', { model: 'e/openai', input: [1.5] }, 'input'],
      ['mixed strings and token arrays', { model: 'e/openai', input: [[1], 'a'] }, 'input[1]'],
      ['more inputs than the cap (2048)', { model: 'e/openai', input: Array.from({ length: 2049 }, () => 'a') }, 'input'],
      ['dimensions 0', { model: 'e/openai', input: 'a', dimensions: 0 }, 'dimensions'],
      ['dimensions as text', { model: 'e/openai', input: 'a', dimensions: '8' }, 'dimensions'],
      ['an unknown encoding', { model: 'e/openai', input: 'a', encoding_format: 'int8' }, 'encoding_format'],
      ['a numeric model', { model: 7, input: 'a' }, 'model'],
      ['a body that is an array', [{ model: 'e/openai', input: 'a' }], null],
    ];
    it.each(cases)('%s', async (_name, body, param) => {
      const res = await post(body);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { type: string; param: string | null; message: string } };
      expect(error.type).toBe('invalid_request_error');
      expect(error.param).toBe(param);
      expect(openai.hits).toBe(0);
    });

    it('broken JSON is a 400; an unknown model a 404; a chat alias here, or an embedding alias on chat, a 400 naming the right endpoint', async () => {
      expect((await post('{"model": "e/openai", "input": [')).status).toBe(400);
      const unknown = await post({ model: 'nope', input: 'a' });
      expect(unknown.status).toBe(404);
      const chatAlias = await post({ model: 'rainymodel/auto', input: 'a' });
      expect(chatAlias.status).toBe(400);
      expect(((await chatAlias.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'model_not_supported', message: expect.stringContaining('/v1/chat/completions') });
      const embedOnChat = await post({ model: 'e/openai', messages: [{ role: 'user', content: 'hi' }] }, MASTER, '/v1/chat/completions');
      expect(embedOnChat.status).toBe(400);
      expect(((await embedOnChat.json()) as { error: { message: string } }).error.message).toContain('/v1/embeddings');
      expect(chat.hits + openai.hits).toBe(0);
    });

    it('an upstream\'s 400 is passed on and never opens its circuit', async () => {
      openai.setDefault({ kind: 'status', status: 400, message: 'This model does not support dimensions' });
      for (let i = 0; i < 4; i++) expect((await post({ model: 'e/openai', input: 'a', dimensions: 3 })).status).toBe(400);
      const deployment = gateway.app.get(GatewayContext).registry.forAlias('e/openai')[0]!;
      expect(deployment.health.failures).toBe(0);
      expect(deployment.health.breaker.state(Date.now())).toBe('closed');
    });
  });

  describe('auth, limits and usage records', () => {
    it('needs a key: none or a wrong one is a 401', async () => {
      expect((await fetch(`${gateway.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'e/openai', input: 'a' }) })).status).toBe(401);
      expect((await post({ model: 'e/openai', input: 'a' }, 'sk-wrong')).status).toBe(401);
      expect(openai.hits).toBe(0);
    });

    it('a user key\'s request is recorded with its prompt tokens, no completion tokens, and the input price', async () => {
      const { key, id } = await createUserKey(prisma, 'developer');
      await gateway.app.get(GatewayContext).apiKeys?.reload();
      openai.enqueue({ kind: 'answer', usage: { prompt: 500, completion: 0 } });
      const res = await post({ model: 'e/openai', input: ['a', 'b'] }, key);
      expect(res.status).toBe(200);
      const [row] = await waitForUsageRows(prisma, 1, { apiKeyId: id });
      expect(row).toMatchObject({ alias: 'e/openai', upstream: 'oa', servedModel: 'text-embedding-3-small', promptTokens: 500, completionTokens: 0, usageEstimated: false, stream: false, status: 200, complexity: null });
      expect(row.costUsd).toBeCloseTo(500 * 0.00000002, 15);
    });

    it('a refused request is recorded too, as its status, with nothing served', async () => {
      const { key, id } = await createUserKey(prisma, 'developer');
      await gateway.app.get(GatewayContext).apiKeys?.reload();
      expect((await post({ model: 'e/openai', input: '' }, key)).status).toBe(400);
      const [row] = await waitForUsageRows(prisma, 1, { apiKeyId: id });
      expect(row).toMatchObject({ status: 400, upstream: null, costUsd: null });
    });

    it('a key\'s requests-per-minute limit applies: the second request in the minute is a 429 that no upstream sees', async () => {
      const { key } = await createUserKey(prisma, 'developer', { rpm: 1 });
      await gateway.app.get(GatewayContext).apiKeys?.reload();
      expect((await post({ model: 'e/openai', input: 'a' }, key)).status).toBe(200);
      const refused = await post({ model: 'e/openai', input: 'a' }, key);
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { type: string } }).error.type).toBe('rate_limit_error');
      expect(openai.hits).toBe(1);
    });

    it('a tokens-per-minute limit reserves the input\'s estimated tokens at admission, then counts what the upstream reported', async () => {
      const { key } = await createUserKey(prisma, 'developer', { tpm: 500 });
      await gateway.app.get(GatewayContext).apiKeys?.reload();
      // 400 characters ≈ 100 tokens reserved; the fake then reports 1 token (one word).
      const input = 'x'.repeat(400);
      const firstAnswer = await post({ model: 'e/openai', input }, key);
      expect(firstAnswer.status).toBe(200);
      expect(firstAnswer.headers.get('x-ratelimit-remaining-tokens')).toBe('400');
      const secondAnswer = await post({ model: 'e/openai', input }, key);
      expect(secondAnswer.headers.get('x-ratelimit-remaining-tokens')).toBe(String(500 - fakeTokenCount(input) - 100));
    });

    it('counts embeddings in /metrics by alias, prompt tokens only', async () => {
      openai.enqueue({ kind: 'answer', usage: { prompt: 7, completion: 0 } });
      expect((await post({ model: 'e/openai', input: 'a' })).status).toBe(200);
      const metrics = await (await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${MASTER}` } })).text();
      expect(metrics).toMatch(/rainymodel_requests_total\{alias="e\/openai",status="200"\} \d+/);
      expect(metrics).toMatch(/rainymodel_tokens_total\{alias="e\/openai",kind="prompt"\} \d+/);
      expect(metrics).not.toContain('rainymodel_tokens_total{alias="e/openai",kind="completion"}');
    });
  });

  it('GET /v1/models?all=true lists the embedding deployments with their mode and vector length', async () => {
    const models = (await (await fetch(`${gateway.url}/v1/models?all=true`, { headers: { authorization: `Bearer ${MASTER}` } })).json()) as { data: Array<Record<string, unknown>> };
    expect(models.data.find((m) => m['id'] === 'e/same/wide')).toMatchObject({ mode: 'embedding', output_vector_size: 16 });
    expect(models.data.find((m) => m['id'] === 'rainymodel/auto/chat')).toMatchObject({ mode: 'chat' });
    expect(models.data.find((m) => m['id'] === 'rainymodel/auto/chat')).not.toHaveProperty('output_vector_size');
  });

  it('uses the fake\'s token counts as documented (a guard on the fixtures above)', () => {
    expect(fakeTokenCount('The quick brown fox')).toBe(4);
  });
});
