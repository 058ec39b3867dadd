/**
 * Hostile upstreams (issue 8, item 9, upstream half): an answer or a stream event past its size
 * cap fails the attempt as `upstream_too_large` — a fallback before the first byte went to the
 * client, an explicit SSE error event after — and an upstream that keeps sending bytes without
 * ever completing an event is cut by the stream idle timeout.
 */
import { startFakeOllama, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

const CAP = 65_536;
let big: FakeUpstream;
let ollama: FakeUpstream;
let backup: FakeUpstream;
let gateway: RunningGateway;

beforeAll(async () => {
  big = await startFakeOpenAi({ name: 'big' });
  ollama = await startFakeOllama({ name: 'ollama' });
  backup = await startFakeOpenAi({ name: 'backup' });
  gateway = await startGateway(
    configYaml(
      [
        { model: 'openai/big', apiBase: big.baseUrl, id: 'big', tier: 'free' },
        { model: 'openai/backup', apiBase: backup.baseUrl, id: 'backup', tier: 'internal' },
        { alias: 'rainymodel/ollama', model: 'ollama/llama', apiBase: ollama.url, id: 'ollama' },
      ],
      // allowed_fails high: these cases are about each attempt, not about circuits.
      { max_response_bytes: CAP, max_stream_event_bytes: CAP, stream_idle_timeout: 0.3, allowed_fails: 100 },
    ),
  );
});
afterAll(async () => {
  await gateway.close();
  await Promise.all([big.close(), ollama.close(), backup.close()]);
});
beforeEach(() => {
  big.reset();
  ollama.reset();
  backup.reset();
});

async function chat(stream: boolean, model = 'rainymodel/auto') {
  const started = Date.now();
  const res = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], stream }),
    // Fails the test rather than hanging it when nothing cuts the upstream.
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  return { status: res.status, text, ms: Date.now() - started, model: res.headers.get('x-rainymodel-model'), reasons: res.headers.get('x-rainymodel-fallback-reason') };
}

describe('size caps', () => {
  it('a whole answer past max_response_bytes fails as upstream_too_large and falls back', async () => {
    big.enqueue({ kind: 'oversized', afterChunks: 0, bytes: 3 * CAP });
    const res = await chat(false);
    expect(res.status).toBe(200);
    expect(res.model).toBe('backup');
    expect(res.reasons).toBe('big:upstream_too_large');
  });

  it('a stream event past max_stream_event_bytes before the first content falls back', async () => {
    big.enqueue({ kind: 'oversized', afterChunks: 0, bytes: 3 * CAP });
    const res = await chat(true);
    expect(res.status).toBe(200);
    expect(res.model).toBe('backup');
    expect(res.reasons).toBe('big:upstream_too_large');
    expect(res.text).toContain('data: [DONE]');
  });

  it('after the first content, it ends the stream with an upstream_too_large error event', async () => {
    big.enqueue({ kind: 'oversized', afterChunks: 2, bytes: 3 * CAP });
    const res = await chat(true);
    expect(res.status).toBe(200);
    expect(res.model).toBe('big');
    expect(res.text).toContain('tok1 ');
    expect(res.text).toContain('"code":"upstream_too_large"');
    expect(res.text).not.toContain('xxxxxxxx');
    expect(res.text).not.toContain('[DONE]');
  });

  it('an Ollama line past the cap, after the first content: the same error event', async () => {
    ollama.enqueue({ kind: 'oversized', afterChunks: 1, bytes: 3 * CAP });
    const res = await chat(true, 'rainymodel/ollama');
    expect(res.text).toContain('tok0 ');
    expect(res.text).toContain('"code":"upstream_too_large"');
    expect(res.text).not.toContain('[DONE]');
  });

  it('under the caps, a large answer goes through', async () => {
    big.enqueue({ kind: 'oversized', afterChunks: 1, bytes: CAP / 2 });
    const res = await chat(true);
    expect(res.model).toBe('big');
    expect(res.text).toContain('x'.repeat(CAP / 2));
    expect(res.text).toContain('data: [DONE]');
  });
});

describe('bytes that never complete an event', () => {
  it.each([
    ['OpenAI SSE', 'rainymodel/auto'],
    ['Ollama NDJSON', 'rainymodel/ollama'],
  ])('%s: a byte every 20 ms after the first content is cut by the idle timeout (0.3 s)', async (_label, model) => {
    const fake = model === 'rainymodel/ollama' ? ollama : big;
    fake.enqueue({ kind: 'trickle', afterChunks: 1, intervalMs: 20 });
    const res = await chat(true, model);
    expect(res.status).toBe(200);
    expect(res.text).toContain('tok0 ');
    expect(res.text).toContain('"code":"stream_stalled"');
    expect(res.text).not.toContain('[DONE]');
    expect(res.ms).toBeLessThan(2000);
    await fake.waitForAborted(1, 2000);
  });
});
