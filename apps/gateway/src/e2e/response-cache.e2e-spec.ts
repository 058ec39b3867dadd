/**
 * Issue 10, the response cache end to end: the real gateway on loopback in front of fake
 * upstream servers. Hit, miss, refresh and skip; only deterministic requests by default; a
 * cached answer replayed to a streaming client and read by the real `openai` SDK; the offline
 * last resort (every upstream stopped → the expired answer, marked stale, 200); errors and cut
 * streams never cached; hits in /metrics. The cache's clock is the test's, moved past a ttl
 * instead of waited for.
 */
import OpenAI from 'openai';
import { startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

const TTL_S = 60;
const MAX_STALE_S = 600;

let now = 1_800_000_000_000;
let live: FakeUpstream;
let offline: FakeUpstream;
let gateway: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  live = await startFakeOpenAi({ name: 'live' });
  offline = await startFakeOpenAi({ name: 'offline' });
  const yaml =
    configYaml([
      { alias: 'c/cached', model: 'openai/m1', apiBase: live.baseUrl, id: 'live-dep' },
      { alias: 'c/off', model: 'openai/m2', apiBase: live.baseUrl, extraInfo: 'cache: false' },
      { alias: 'c/short', model: 'openai/m3', apiBase: live.baseUrl, extraInfo: 'cache: { ttl: 5, max_stale: 0 }' },
      { alias: 'c/offline', model: 'openai/m4', apiBase: offline.baseUrl, id: 'offline-dep' },
    ]) + `  cache: { ttl: ${TTL_S}, max_stale: ${MAX_STALE_S} }\n`;
  gateway = await startGateway(yaml, {}, { cacheClock: () => now });
  client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.close();
  await Promise.all([live?.close(), offline?.close()]);
});

let question = 0;
/** A question nobody asked yet in this run, so each test starts from an empty cache entry. */
const fresh = (): string => `question ${++question}`;

function chat(model: string, content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }], temperature: 0, ...extra }),
  });
}

async function answerText(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
  return body.choices[0].message.content;
}

describe('response cache', () => {
  it('a second identical request is a hit: same body, no upstream call, age and the producing deployment in headers', async () => {
    const q = fresh();
    live.enqueue({ kind: 'answer', text: 'forty-two' });
    const hitsBefore = live.hits;
    const first = await chat('c/cached', q);
    expect(first.headers.get('x-rainymodel-cache')).toBe('miss');
    const firstBody = await first.text();
    now += 2_000;
    const second = await chat('c/cached', q);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-rainymodel-cache')).toBe('hit');
    expect(second.headers.get('age')).toBe('2');
    expect(second.headers.get('x-rainymodel-upstream')).toBe(first.headers.get('x-rainymodel-upstream'));
    expect(second.headers.get('x-rainymodel-model')).toBe('m1');
    expect(await second.text()).toBe(firstBody);
    expect(live.hits).toBe(hitsBefore + 1);
  });

  it('keys on every answer-changing parameter but not on key order or stream delivery fields', async () => {
    const q = fresh();
    live.enqueue({ kind: 'answer', text: 'A' }, { kind: 'answer', text: 'B' });
    expect(await answerText(await chat('c/cached', q, { max_tokens: 10 }))).toBe('A');
    expect(await answerText(await chat('c/cached', q, { max_tokens: 20 }))).toBe('B');
    const reordered = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"max_tokens":10,"user":"someone","temperature":0,"messages":[{"content":${JSON.stringify(q)},"role":"user"}],"model":"c/cached"}`,
    });
    expect(reordered.headers.get('x-rainymodel-cache')).toBe('hit');
    expect(await answerText(reordered)).toBe('A');
  });

  it('by default only deterministic requests are cached: temperature ≠ 0 without a seed is skipped; a seed is cached', async () => {
    const q = fresh();
    const hitsBefore = live.hits;
    const warm = await chat('c/cached', q, { temperature: 0.7 });
    expect(warm.headers.get('x-rainymodel-cache')).toBe('skip');
    await warm.text();
    const again = await chat('c/cached', q, { temperature: 0.7 });
    expect(again.headers.get('x-rainymodel-cache')).toBe('skip');
    await again.text();
    expect(live.hits).toBe(hitsBefore + 2);

    await (await chat('c/cached', q, { temperature: 0.7, seed: 3 })).text();
    expect((await chat('c/cached', q, { temperature: 0.7, seed: 3 })).headers.get('x-rainymodel-cache')).toBe('hit');
  });

  it('x-rainymodel-cache: use caches a non-deterministic request; skip bypasses; refresh replaces the entry', async () => {
    const q = fresh();
    live.enqueue({ kind: 'answer', text: 'old' }, { kind: 'answer', text: 'skipped' }, { kind: 'answer', text: 'new' });
    expect(await answerText(await chat('c/cached', q, { temperature: 1 }, { 'x-rainymodel-cache': 'use' }))).toBe('old');
    const hit = await chat('c/cached', q, { temperature: 1 }, { 'x-rainymodel-cache': 'use' });
    expect(hit.headers.get('x-rainymodel-cache')).toBe('hit');
    expect(await answerText(hit)).toBe('old');

    const skipped = await chat('c/cached', q, { temperature: 1 }, { 'x-rainymodel-cache': 'skip' });
    expect(skipped.headers.get('x-rainymodel-cache')).toBe('skip');
    expect(await answerText(skipped)).toBe('skipped');

    const refreshed = await chat('c/cached', q, { temperature: 1 }, { 'x-rainymodel-cache': 'refresh' });
    expect(refreshed.headers.get('x-rainymodel-cache')).toBe('miss');
    expect(await answerText(refreshed)).toBe('new');
    expect(await answerText(await chat('c/cached', q, { temperature: 1 }, { 'x-rainymodel-cache': 'use' }))).toBe('new');
  });

  it('an alias with cache: false is never cached and says nothing about it, whatever the request asks', async () => {
    const q = fresh();
    const hitsBefore = live.hits;
    for (let i = 0; i < 2; i++) {
      const res = await chat('c/off', q, {}, { 'x-rainymodel-cache': 'use' });
      expect(res.headers.get('x-rainymodel-cache')).toBeNull();
      await answerText(res);
    }
    expect(live.hits).toBe(hitsBefore + 2);
  });

  it('an unknown x-rainymodel-cache value is a 400 naming the header', async () => {
    const res = await chat('c/cached', fresh(), {}, { 'x-rainymodel-cache': 'forever' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'x-rainymodel-cache', code: 'invalid_cache_mode' } });
  });

  it("an alias's own ttl: past it the answer is a miss again", async () => {
    const q = fresh();
    live.enqueue({ kind: 'answer', text: 'first' }, { kind: 'answer', text: 'second' });
    expect(await answerText(await chat('c/short', q))).toBe('first');
    now += 4_000;
    expect(await answerText(await chat('c/short', q))).toBe('first');
    now += 2_000;
    const expired = await chat('c/short', q);
    expect(expired.headers.get('x-rainymodel-cache')).toBe('miss');
    expect(await answerText(expired)).toBe('second');
  });

  it('never caches an upstream error', async () => {
    const q = fresh();
    live.enqueue({ kind: 'status', status: 500 });
    const failed = await chat('c/cached', q);
    expect(failed.status).toBe(502);
    expect(failed.headers.get('x-rainymodel-cache')).toBe('miss');
    await failed.text();
    live.enqueue({ kind: 'answer', text: 'recovered' });
    const next = await chat('c/cached', q);
    expect(next.headers.get('x-rainymodel-cache')).toBe('miss');
    expect(await answerText(next)).toBe('recovered');
  });

  it('never caches a stream cut before its end, nor one ended by an error event', async () => {
    for (const failure of [{ kind: 'cut-stream', afterChunks: 3, chunkDelayMs: 40 }, { kind: 'error-event', afterChunks: 3, chunkDelayMs: 40 }] as const) {
      const q = fresh();
      live.enqueue(failure);
      const cut = await chat('c/cached', q, { stream: true });
      // Usually committed (200) before the fault; on a starved machine the chunks and the fault can
      // arrive in one read, and the fault comes before the commit (502). Neither may be cached.
      expect([200, 502]).toContain(cut.status);
      expect(await cut.text()).not.toContain('[DONE]');
      live.enqueue({ kind: 'answer', text: 'whole' });
      const next = await chat('c/cached', q);
      expect(next.headers.get('x-rainymodel-cache')).toBe('miss');
      expect(await answerText(next)).toBe('whole');
    }
  });

  it('a streamed answer fills the cache; replayed to the openai SDK it is the same completion, as stream or whole', async () => {
    const q = fresh();
    live.enqueue({ kind: 'stream', chunks: 5 });
    const params = { model: 'c/cached', messages: [{ role: 'user' as const, content: q }], temperature: 0 };
    const original = await client.chat.completions.stream({ ...params, stream: true }).finalChatCompletion();
    const hitsAfterFill = live.hits;
    const replay = await client.chat.completions.stream({ ...params, stream: true }).finalChatCompletion();
    const whole = await client.chat.completions.create({ ...params, stream: false });
    expect(live.hits).toBe(hitsAfterFill);
    expect(original.choices[0].message.content).toBe('tok0 tok1 tok2 tok3 tok4 ');
    for (const again of [replay, whole]) {
      expect(again.id).toBe(original.id);
      expect(again.choices.map((c) => [c.message.content, c.message.tool_calls ?? [], c.finish_reason])).toEqual(original.choices.map((c) => [c.message.content, c.message.tool_calls ?? [], c.finish_reason]));
    }
  });

  it('a cached tool call replays as tool-call chunks the SDK assembles into the same call; usage only when asked', async () => {
    const q = fresh();
    live.enqueue({ kind: 'answer', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' }], usage: { prompt: 12, completion: 7 } });
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const params = { model: 'c/cached', messages: [{ role: 'user' as const, content: q }], temperature: 0, tools };
    const original = await client.chat.completions.create({ ...params, stream: false });
    const { data: stream, response } = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }).withResponse();
    expect(response.headers.get('x-rainymodel-cache')).toBe('hit');
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } });
    const replayed = await client.chat.completions.stream({ ...params, stream: true }).finalChatCompletion();
    expect(replayed.choices[0].message.tool_calls).toEqual(original.choices[0].message.tool_calls);
    expect(replayed.choices[0].finish_reason).toBe('tool_calls');
  });

  it('offline last resort: every upstream stopped → the expired answer, 200, marked stale; past max_stale → 502', async () => {
    const q = fresh();
    offline.enqueue({ kind: 'answer', text: 'cached before the outage' });
    const original = await answerText(await chat('c/offline', q));
    now += (TTL_S + 30) * 1000;
    await offline.refuse();
    try {
      const stale = await chat('c/offline', q);
      expect(stale.status).toBe(200);
      expect(stale.headers.get('x-rainymodel-cache')).toBe('stale');
      expect(stale.headers.get('age')).toBe(String(TTL_S + 30));
      expect(stale.headers.get('x-rainymodel-tried')).toBe('offline-dep');
      expect(await answerText(stale)).toBe(original);

      // A streaming client gets it replayed as a stream.
      const streamed = await client.chat.completions.stream({ model: 'c/offline', messages: [{ role: 'user', content: q }], temperature: 0, stream: true }).finalChatCompletion();
      expect(streamed.choices[0].message.content).toBe(original);

      // The request may refuse it.
      const refused = await chat('c/offline', q, {}, { 'cache-control': 'stale-if-error=0' });
      expect(refused.status).toBe(502);
      await refused.text();

      // Never a question nobody asked before.
      const unknown = await chat('c/offline', fresh());
      expect(unknown.status).toBe(502);
      await unknown.text();

      now += MAX_STALE_S * 1000;
      const tooOld = await chat('c/offline', q);
      expect(tooOld.status).toBe(502);
      expect(tooOld.headers.get('x-rainymodel-cache')).toBe('miss');
      await tooOld.text();
    } finally {
      await offline.accept();
    }
  });

  it('counts hits, misses, stale answers and skips per alias in /metrics', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const count = (alias: string, result: string): number => Number(text.match(new RegExp(`rainymodel_cache_requests_total\\{alias="${alias}",result="${result}"\\} (\\d+)`))?.[1] ?? 0);
    expect(count('c/cached', 'hit')).toBeGreaterThanOrEqual(5);
    expect(count('c/cached', 'miss')).toBeGreaterThanOrEqual(5);
    expect(count('c/cached', 'skip')).toBeGreaterThanOrEqual(3);
    expect(count('c/offline', 'stale')).toBe(2);
    expect(text).toMatch(/^rainymodel_cache_entries \d+$/m);
    expect(text).not.toContain('rainymodel_cache_requests_total{alias="c/off"');
  });
});
