/**
 * Upstream faults (SPEC §2.4): each either falls back to the next upstream — with headers that
 * say so — or ends in an explicit error. Streams fall back until their first content byte;
 * after it an upstream failure is an explicit SSE error event, never a clean-looking end.
 */
import OpenAI from 'openai';
import { startFakeAnthropic, startFakeOllama, startFakeOpenAi, type Behavior, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

let primary: FakeUpstream;
let backup: FakeUpstream;
let gateway: RunningGateway;
let client: OpenAI;

const body = (stream = false) => JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }], stream });

beforeAll(async () => {
  primary = await startFakeOpenAi({ name: 'primary' });
  backup = await startFakeOpenAi({ name: 'backup' });
  gateway = await startGateway(
    configYaml(
      [
        { model: 'openai/primary-model', apiBase: primary.baseUrl, id: 'primary', tier: 'free', timeout: 0.4 },
        { model: 'openai/backup-model', apiBase: backup.baseUrl, id: 'backup', tier: 'internal', timeout: 0.4 },
      ],
      { allowed_fails: 1000, stream_idle_timeout: 0.3 },
    ),
  );
  client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  expect(primary.inFlight + backup.inFlight).toBe(0);
  await gateway.close();
  await primary.close();
  await backup.close();
});
beforeEach(async () => {
  primary.reset();
  backup.reset();
  await primary.accept();
});

async function post(stream = false) {
  const res = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(stream) });
  return { res, text: await res.text() };
}

describe('non-streaming fallback', () => {
  it.each<[string, Behavior, string]>([
    ['HTTP 500', { kind: 'status', status: 500 }, 'http_500'],
    ['HTTP 503', { kind: 'status', status: 503 }, 'http_503'],
    ['HTTP 429', { kind: 'status', status: 429, retryAfter: 1 }, 'http_429'],
    ['HTTP 401 (our key is bad)', { kind: 'status', status: 401 }, 'http_401'],
    ['HTTP 403', { kind: 'status', status: 403 }, 'http_403'],
    ['HTTP 404 (model unknown upstream)', { kind: 'status', status: 404 }, 'http_404'],
    ['a slow answer past the timeout', { kind: 'delay', ms: 2000 }, 'timeout'],
    ['headers then silence', { kind: 'stall-after-headers' }, 'timeout'],
    ['a body cut mid-way', { kind: 'cut-stream', afterChunks: 1 }, 'network_error'],
    ['a garbage chunk (non-streaming: a garbage body)', { kind: 'malformed-chunk', afterChunks: 1 }, 'malformed_response'],
    ['a body that is not JSON', { kind: 'malformed-body' }, 'malformed_response'],
  ])('%s → falls back to the next upstream', async (_name, behavior, reason) => {
    primary.enqueue(behavior);
    const { res, text } = await post();
    expect(res.status).toBe(200);
    expect(JSON.parse(text).choices[0].message.content).toBe('Hello from backup');
    expect(res.headers.get('x-rainymodel-upstream')).toBe('openai-compatible');
    expect(res.headers.get('x-rainymodel-tried')).toBe('primary,backup');
    expect(res.headers.get('x-rainymodel-fallback-reason')).toBe(`primary:${reason}`);
    expect(backup.hits).toBe(1);
  });

  it('connection refused → falls back', async () => {
    await primary.refuse();
    const { res } = await post();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-rainymodel-fallback-reason')).toBe('primary:connect_error');
  });

  it("an upstream 400 (the caller's fault) is returned at once with the upstream's message, no fallback", async () => {
    primary.enqueue({ kind: 'status', status: 400, message: "'temperature' is out of range" });
    const { res, text } = await post();
    expect(res.status).toBe(400);
    expect(JSON.parse(text).error.message).toContain("'temperature' is out of range");
    expect(JSON.parse(text).error.type).toBe('invalid_request_error');
    expect(backup.hits).toBe(0);
  });

  it('every upstream failing → 502 naming each failure, with the tried headers', async () => {
    primary.enqueue({ kind: 'status', status: 503 });
    backup.enqueue({ kind: 'malformed-body' });
    const { res, text } = await post();
    expect(res.status).toBe(502);
    const error = JSON.parse(text).error;
    expect(error.code).toBe('all_upstreams_failed');
    expect(error.message).toContain('primary: HTTP 503');
    expect(error.message).toContain('backup:');
    expect(res.headers.get('x-rainymodel-tried')).toBe('primary,backup');
    expect(res.headers.get('x-rainymodel-fallback-reason')).toBe('primary:http_503,backup:malformed_response');
  });
});

describe('streaming before the first content byte: fallback', () => {
  it.each<[string, Behavior, string]>([
    ['HTTP 503', { kind: 'status', status: 503 }, 'http_503'],
    ['headers then silence (time to first token)', { kind: 'stall-after-headers' }, 'timeout'],
    ['a stream cut before any content', { kind: 'cut-stream', afterChunks: 0 }, 'stream_cut'],
    ['a garbage first chunk', { kind: 'malformed-chunk', afterChunks: 0 }, 'malformed_chunk'],
    ['an error event first', { kind: 'error-event', afterChunks: 0 }, 'upstream_error_event'],
    ['a slow start past the timeout', { kind: 'delay', ms: 2000 }, 'timeout'],
  ])('%s → the backup streams the answer', async (_name, behavior, reason) => {
    primary.enqueue(behavior);
    backup.enqueue({ kind: 'stream', chunks: 5 });
    const { data: stream, response } = await client.chat.completions.create({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }], stream: true }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('tok0 tok1 tok2 tok3 tok4 ');
    expect(response.headers.get('x-rainymodel-tried')).toBe('primary,backup');
    expect(response.headers.get('x-rainymodel-fallback-reason')).toBe(`primary:${reason}`);
  });

  it('an upstream whose stream is given up before its first content is disconnected, not left open', async () => {
    primary.enqueue({ kind: 'malformed-chunk', afterChunks: 0, thenStall: true });
    backup.enqueue({ kind: 'stream', chunks: 2 });
    const { res } = await post(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-rainymodel-fallback-reason')).toBe('primary:malformed_chunk');
    await primary.waitForAborted(1);
  });

  it('a stall after headers gives up within the timeout, not the client’s patience', async () => {
    primary.enqueue({ kind: 'stall-after-headers' });
    const started = Date.now();
    const { res } = await post(true);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1500);
    await primary.waitForAborted(1);
  });
});

describe('streaming after the first content byte: explicit error', () => {
  async function readStream(behavior: Behavior) {
    primary.enqueue(behavior);
    const { res, text } = await post(true);
    return { res, text, events: text.split('\n\n').filter(Boolean) };
  }

  it.each<[string, Behavior, string]>([
    // chunkDelayMs makes sure the first chunks reached the client before the fault: faults in
    // the same read as the first content are caught before commit, and fall back instead.
    ['a cut stream', { kind: 'cut-stream', afterChunks: 3, chunkDelayMs: 30 }, 'stream_cut'],
    ['a garbage chunk', { kind: 'malformed-chunk', afterChunks: 3, chunkDelayMs: 30 }, 'malformed_chunk'],
    ['an error event', { kind: 'error-event', afterChunks: 3, chunkDelayMs: 30 }, 'upstream_error_event'],
    ['silence mid-stream (idle timeout)', { kind: 'stall-after-chunks', chunks: 3, chunkDelayMs: 30 }, 'stream_stalled'],
  ])('%s → the stream ends with an SSE error event and no [DONE]', async (_name, behavior, code) => {
    const { res, events } = await readStream(behavior);
    expect(res.status).toBe(200);
    expect(events.some((e) => e.includes('tok2'))).toBe(true);
    const last = events[events.length - 1];
    expect(last.startsWith('data: ')).toBe(true);
    expect(JSON.parse(last.slice(6)).error.code).toBe(code);
    expect(events).not.toContain('data: [DONE]');
    expect(backup.hits).toBe(0);
  });

  it('the openai SDK raises the error instead of returning a truncated answer', async () => {
    primary.enqueue({ kind: 'cut-stream', afterChunks: 2, chunkDelayMs: 30 });
    const stream = await client.chat.completions.create({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    await expect(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      })(),
    ).rejects.toThrow(/Upstream stream failed/);
    expect(text).toBe('tok0 tok1 ');
  });

  it('a client that disconnects mid-stream aborts the upstream request', async () => {
    primary.enqueue({ kind: 'stream', chunks: 200, chunkDelayMs: 20 });
    const controller = new AbortController();
    const res = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(true), signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    await primary.waitForAborted(1, 2000);
    expect(primary.aborted).toBe(1);
  });

  it('a client that disconnects while the gateway waits for the first token aborts the upstream too', async () => {
    primary.enqueue({ kind: 'delay', ms: 300, then: { kind: 'stall-after-headers' } });
    const controller = new AbortController();
    const pending = fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(true), signal: controller.signal }).catch(() => 'aborted');
    await primary.waitForHits(1);
    controller.abort();
    expect(await pending).toBe('aborted');
    await primary.waitForAborted(1, 2000);
    expect(backup.hits).toBe(0);
  });
});

describe.each([
  ['Anthropic', startFakeAnthropic, 'anthropic/claude-x'],
  ['Ollama', startFakeOllama, 'ollama/qwen-x'],
] as const)('faults through %s', (_name, startFake, model) => {
  let fake: FakeUpstream;
  let fallback: FakeUpstream;
  let gw: RunningGateway;
  beforeAll(async () => {
    fake = await startFake({ name: 'translated' });
    fallback = await startFakeOpenAi({ name: 'backup' });
    gw = await startGateway(
      configYaml(
        [
          { model, apiBase: fake.baseUrl, id: 'translated', tier: 'free', timeout: 0.4 },
          { model: 'openai/b', apiBase: fallback.baseUrl, id: 'backup', tier: 'internal' },
        ],
        { allowed_fails: 1000, stream_idle_timeout: 0.3 },
      ),
    );
  });
  afterAll(async () => {
    await gw.close();
    await fake.close();
    await fallback.close();
  });

  it.each<[string, Behavior, string]>([
    ['a cut stream before content', { kind: 'cut-stream', afterChunks: 0 }, 'stream_cut'],
    ['a garbage chunk before content', { kind: 'malformed-chunk', afterChunks: 0 }, 'malformed_chunk'],
    ['an error event before content', { kind: 'error-event', afterChunks: 0 }, 'upstream_error_event'],
  ])('%s → fallback', async (_label, behavior, reason) => {
    fake.enqueue(behavior);
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(true) });
    const text = await res.text();
    expect(res.headers.get('x-rainymodel-fallback-reason')).toBe(`translated:${reason}`);
    expect(text).toContain('backup');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it.each<[string, Behavior, string]>([
    ['a cut stream', { kind: 'cut-stream', afterChunks: 2, chunkDelayMs: 30 }, 'stream_cut'],
    ['a garbage chunk', { kind: 'malformed-chunk', afterChunks: 2, chunkDelayMs: 30 }, 'malformed_chunk'],
    ['an error event', { kind: 'error-event', afterChunks: 2, chunkDelayMs: 30 }, 'upstream_error_event'],
  ])('%s after content → explicit SSE error', async (_label, behavior, code) => {
    fake.enqueue(behavior);
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(true) });
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.some((e) => e.includes('tok1'))).toBe(true);
    expect(JSON.parse(events[events.length - 1].slice(6)).error.code).toBe(code);
    expect(events).not.toContain('data: [DONE]');
  });
});
