import { DEFAULT_EMBEDDING_DIMENSION, fakeVector } from './fake-embeddings';
import { startFakeOllama } from './fake-ollama';
import { startFakeOpenAi } from './fake-openai';
import type { FakeUpstream } from './fake-upstream';
import { readBody } from './spec-helpers';

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('fake embeddings routes', () => {
  let openai: FakeUpstream;
  let floatOnly: FakeUpstream;
  let ollama: FakeUpstream;

  beforeAll(async () => {
    openai = await startFakeOpenAi();
    floatOnly = await startFakeOpenAi({ name: 'compat', floatOnly: true });
    ollama = await startFakeOllama();
  });
  afterEach(() => [openai, floatOnly, ollama].forEach((f) => f.reset()));
  afterAll(async () => {
    await Promise.all([openai.close(), floatOnly.close(), ollama.close()]);
  });

  it('OpenAI: one float vector per input, exactly float32, usage in words', async () => {
    const response = await post(`${openai.baseUrl}/embeddings`, { model: 'e', input: ['a b', 'c'] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Array<{ index: number; embedding: number[] }>; usage: unknown; object: string };
    expect(body.object).toBe('list');
    expect(body.data.map((d) => d.index)).toEqual([0, 1]);
    expect(body.data[0]?.embedding).toEqual(fakeVector('a b', DEFAULT_EMBEDDING_DIMENSION));
    expect(body.data[0]?.embedding.every((v) => Math.fround(v) === v)).toBe(true);
    expect(body.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(openai.hits).toBe(1);
  });

  it('OpenAI: base64 is float32 little-endian; dimensions are honoured; a float-only server ignores base64', async () => {
    const response = await post(`${openai.baseUrl}/embeddings`, { model: 'e', input: 'x', encoding_format: 'base64', dimensions: 4 });
    const body = (await response.json()) as { data: Array<{ embedding: string }> };
    const bytes = Buffer.from(body.data[0]?.embedding ?? '', 'base64');
    expect(bytes).toHaveLength(16);
    expect([0, 1, 2, 3].map((i) => bytes.readFloatLE(i * 4))).toEqual(fakeVector('x', 4));
    const compat = (await (await post(`${floatOnly.baseUrl}/embeddings`, { model: 'e', input: 'x', encoding_format: 'base64' })).json()) as { data: Array<{ embedding: unknown }> };
    expect(Array.isArray(compat.data[0]?.embedding)).toBe(true);
  });

  it('Ollama /api/embed: embeddings as arrays, prompt_eval_count; faults are scripted like chat', async () => {
    ollama.enqueue({ kind: 'answer', dimension: 3, usage: { prompt: 9, completion: 0 } }, { kind: 'status', status: 503 }, { kind: 'cut-stream', afterChunks: 0 });
    const ok = (await (await post(`${ollama.url}/api/embed`, { model: 'nomic', input: 'hi' })).json()) as Record<string, unknown>;
    expect(ok).toMatchObject({ model: 'nomic', embeddings: [fakeVector('hi', 3)], prompt_eval_count: 9 });
    const failed = await post(`${ollama.url}/api/embed`, { model: 'nomic', input: 'hi' });
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({ error: 'fake ollama: HTTP 503' });
    const cut = await post(`${ollama.url}/api/embed`, { model: 'nomic', input: 'hi' });
    expect((await readBody(cut)).outcome).toBe('error');
    expect(ollama.hits).toBe(3);
  });
});
