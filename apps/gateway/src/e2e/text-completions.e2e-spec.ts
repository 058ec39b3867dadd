/**
 * POST /v1/completions, the legacy text completions (issue 11), with the real `openai` SDK
 * against the real gateway: a thin dialect over the chat pipeline (prompt → one user message,
 * answer → `choices[].text`, streams as `text_completion` chunks) through OpenAI and Ollama
 * fakes, with the chat pipeline's fallback before the first byte and its error event after it;
 * what a chat model cannot do is a clear 400; usage records as for chat.
 */
import OpenAI from 'openai';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { startFakeOllama, startFakeOpenAi, streamedText, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';
import { createUserKey, waitForUsageRows } from '../testing/user-keys';

const MASTER = 'sk-master';

describe('POST /v1/completions (issue 11)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let primary: FakeUpstream;
  let backup: FakeUpstream;
  let ollama: FakeUpstream;
  let gateway: RunningGateway;
  let client: OpenAI;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    [primary, backup, ollama] = await Promise.all([startFakeOpenAi({ name: 'primary' }), startFakeOpenAi({ name: 'backup' }), startFakeOllama({ name: 'ollama' })]);
    gateway = await startGateway(
      configYaml(
        [
          { model: 'openai/gpt-test', apiBase: primary.baseUrl, id: 'primary', tier: 'internal' },
          { model: 'openai/gpt-backup', apiBase: backup.baseUrl, id: 'backup', tier: 'direct' },
          { alias: 'rainymodel/local', model: 'ollama/qwen-test', apiBase: ollama.baseUrl, id: 'ollama' },
        ],
        { allowed_fails: 100 },
      ),
      { RAINYMODEL_MASTER_KEY: MASTER, DATABASE_URL: db.url, RAINYMODEL_KEY_REFRESH_SECONDS: '60' },
    );
    client = new OpenAI({ apiKey: MASTER, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([primary?.close(), backup?.close(), ollama?.close()]);
    await prisma?.$disconnect();
    await db?.drop();
  });
  beforeEach(() => [primary, backup, ollama].forEach((f) => f.reset()));

  it('answers a prompt as a text_completion: the prompt went up as one user message with max_tokens and stop', async () => {
    primary.enqueue({ kind: 'answer', text: 'Paris.', usage: { prompt: 6, completion: 2 } });
    const { data, response } = await client.completions.create({ model: 'rainymodel/auto', prompt: 'The capital of France is', max_tokens: 5, stop: ['\n'], temperature: 0 }).withResponse();
    expect(data.object).toBe('text_completion');
    expect(data.id).toMatch(/^cmpl-/);
    expect(data.choices).toEqual([{ text: 'Paris.', index: 0, logprobs: null, finish_reason: 'stop' }]);
    expect(data.usage).toEqual({ prompt_tokens: 6, completion_tokens: 2, total_tokens: 8 });
    expect(primary.requests[0]?.body).toMatchObject({ model: 'gpt-test', messages: [{ role: 'user', content: 'The capital of France is' }], max_tokens: 5, stop: ['\n'], temperature: 0, stream: false });
    expect(response.headers.get('x-rainymodel-upstream')).toBe('openai-compatible');
    expect(response.headers.get('x-rainymodel-route')).toBe('internal');
  });

  it('streams text_completion chunks that the SDK reassembles, ending cleanly', async () => {
    primary.enqueue({ kind: 'stream', chunks: 6 });
    const stream = await client.completions.create({ model: 'rainymodel/auto', prompt: ['count'], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finish: string | null = null;
    let usage: unknown;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('text_completion');
      text += chunk.choices[0]?.text ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(streamedText(6));
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
  });

  it('through Ollama too (the chat adapters translate), whole and streamed', async () => {
    ollama.enqueue({ kind: 'answer', text: 'Salam' }, { kind: 'stream', chunks: 3 });
    const whole = await client.completions.create({ model: 'rainymodel/local', prompt: 'hi' });
    expect(whole.choices[0]?.text).toBe('Salam');
    expect(ollama.requests[0]).toMatchObject({ path: '/api/chat', body: { messages: [{ role: 'user', content: 'hi' }] } });
    let text = '';
    for await (const chunk of await client.completions.create({ model: 'rainymodel/local', prompt: 'hi', stream: true })) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe(streamedText(3));
  });

  it('falls back before the first byte, with the routing headers', async () => {
    primary.enqueue({ kind: 'status', status: 503 });
    const { data, response } = await client.completions.create({ model: 'rainymodel/auto', prompt: 'hi', stream: true }).withResponse();
    let text = '';
    for await (const chunk of data) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe('Hello from backup');
    expect(response.headers.get('x-rainymodel-tried')).toBe('primary,backup');
    expect(response.headers.get('x-rainymodel-fallback-reason')).toBe('primary:http_503');
  });

  it('after the first byte an upstream failure ends the stream with an error event, which the SDK raises', async () => {
    primary.enqueue({ kind: 'cut-stream', afterChunks: 2 });
    const stream = await client.completions.create({ model: 'rainymodel/auto', prompt: 'hi', stream: true });
    let text = '';
    await expect(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
      })(),
    ).rejects.toThrow(/Upstream stream failed after it began/);
    expect(text).toBe(streamedText(2));
    expect(backup.hits).toBe(0);
  });

  it.each([
    ['suffix', { suffix: ' end' }, 'suffix'],
    ['echo', { echo: true }, 'echo'],
    ['logprobs', { logprobs: 2 }, 'logprobs'],
    ['best_of 2', { best_of: 2 }, 'best_of'],
    ['several prompts', { prompt: ['a', 'b'] }, 'prompt'],
    ['token prompts', { prompt: [1, 2, 3] }, 'prompt'],
    ['no prompt', { prompt: undefined }, 'prompt'],
    ['an empty prompt', { prompt: '' }, 'prompt'],
    ['max_tokens 0', { max_tokens: 0 }, 'max_tokens'],
    ['stop as a number', { stop: 3 }, 'stop'],
  ])('refuses %s with a 400 naming the parameter; no upstream hears of it', async (_name, extra, param) => {
    const res = await fetch(`${gateway.url}/v1/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rainymodel/auto', prompt: 'hi', ...extra }),
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { type: string; param: string } };
    expect(error).toMatchObject({ type: 'invalid_request_error', param });
    expect(primary.hits + backup.hits).toBe(0);
  });

  it('needs a key, and records usage for a user key like a chat request', async () => {
    expect((await fetch(`${gateway.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"rainymodel/auto","prompt":"hi"}' })).status).toBe(401);
    const { key, id } = await createUserKey(prisma, 'developer');
    await gateway.app.get(GatewayContext).apiKeys?.reload();
    primary.enqueue({ kind: 'answer', usage: { prompt: 11, completion: 4 } });
    const keyed = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await keyed.completions.create({ model: 'rainymodel/auto', prompt: 'hi' });
    const [row] = await waitForUsageRows(prisma, 1, { apiKeyId: id });
    expect(row).toMatchObject({ alias: 'rainymodel/auto', upstream: 'primary', promptTokens: 11, completionTokens: 4, status: 200, stream: false });
  });
});
