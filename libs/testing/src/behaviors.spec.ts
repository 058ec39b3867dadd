/** Every scripted behavior, on every protocol, observed over real HTTP. */
import { streamedText } from './behavior';
import { startFakeAnthropic } from './fake-anthropic';
import { startFakeOllama } from './fake-ollama';
import { startFakeOpenAi } from './fake-openai';
import type { FakeUpstream, FakeUpstreamOptions } from './fake-upstream';
import { postChat, readBody } from './spec-helpers';

interface ProtocolCase {
  readonly protocol: string;
  readonly start: (options: FakeUpstreamOptions) => Promise<FakeUpstream>;
  readonly streaming: Record<string, unknown>;
  readonly whole: Record<string, unknown>;
  readonly streamType: RegExp;
  /** What only a complete stream contains. */
  readonly endMarker: string;
  readonly garbage: string;
  readonly errorEvent: RegExp;
}

const messages = [{ role: 'user', content: 'hi' }];
const cases: ProtocolCase[] = [
  {
    protocol: 'openai',
    start: startFakeOpenAi,
    streaming: { model: 'm', messages, stream: true },
    whole: { model: 'm', messages },
    streamType: /^text\/event-stream/,
    endMarker: 'data: [DONE]\n\n',
    garbage: 'data: {"choices": [ garbage\n\n',
    errorEvent: /data: \{"error":\{"message":"fake openai: upstream overloaded mid-stream"/,
  },
  {
    protocol: 'anthropic',
    start: startFakeAnthropic,
    streaming: { model: 'm', messages, max_tokens: 64, stream: true },
    whole: { model: 'm', messages, max_tokens: 64 },
    streamType: /^text\/event-stream/,
    endMarker: 'event: message_stop\n',
    garbage: 'event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, "delta": {garbage\n\n',
    errorEvent: /event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error","message":"fake anthropic: upstream overloaded mid-stream"\}\}\n\n$/,
  },
  {
    protocol: 'ollama',
    start: startFakeOllama,
    // Ollama streams when `stream` is absent.
    streaming: { model: 'm', messages },
    whole: { model: 'm', messages, stream: false },
    streamType: /^application\/x-ndjson/,
    endMarker: '"done":true',
    garbage: '{not json\n',
    errorEvent: /\{"error":"fake ollama: upstream overloaded mid-stream"\}\n$/,
  },
];

/** The numbered content chunks found in a body, in order. */
function tokens(text: string): string[] {
  return text.match(/tok\d+ /g) ?? [];
}

describe.each(cases)('$protocol fake behaviors', (c) => {
  let fake: FakeUpstream;

  beforeAll(async () => {
    fake = await c.start({});
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('answers whole and streamed by default with "Hello from <name>"', async () => {
    const whole = await postChat(fake, c.whole);
    expect(whole.headers.get('content-type')).toBe('application/json');
    expect(await whole.text()).toContain(`Hello from ${c.protocol}`);
    const streamed = await postChat(fake, c.streaming);
    expect(streamed.headers.get('content-type')).toMatch(c.streamType);
    // Streams are chunked, as real upstreams send them, even when written in one go.
    expect(streamed.headers.get('transfer-encoding')).toBe('chunked');
    expect(streamed.headers.get('content-length')).toBeNull();
    const { text, outcome } = await readBody(streamed);
    expect(outcome).toBe('end');
    expect(text).toContain(c.endMarker);
    expect(text).not.toContain(`Hello from ${c.protocol}`); // the text comes in several chunks
    expect(text).toContain(c.protocol);
  });

  it('streams N chunks chunkDelayMs apart, then ends properly', async () => {
    fake.enqueue({ kind: 'stream', chunks: 4, chunkDelayMs: 60 });
    const started = Date.now();
    const { text, outcome } = await readBody(await postChat(fake, c.streaming));
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 60 - 5);
    expect(outcome).toBe('end');
    expect(tokens(text).join('')).toBe(streamedText(4));
    expect(text.indexOf(c.endMarker)).toBeGreaterThan(text.indexOf('tok3'));
  });

  it('oversized: a complete answer carrying one content chunk of `bytes` characters', async () => {
    fake.enqueue({ kind: 'oversized', afterChunks: 2, bytes: 200_000 }, { kind: 'oversized', afterChunks: 0, bytes: 200_000 });
    const { text, outcome } = await readBody(await postChat(fake, c.streaming));
    expect(outcome).toBe('end');
    expect(tokens(text)).toEqual(['tok0 ', 'tok1 ']);
    expect(text).toContain('x'.repeat(200_000));
    expect(text).toContain(c.endMarker);
    const whole = await readBody(await postChat(fake, c.whole));
    expect(whole.text.length).toBeGreaterThan(200_000);
    expect(() => JSON.parse(whole.text)).not.toThrow();
  });

  it('trickle: good chunks, then a byte every intervalMs and never a complete event', async () => {
    fake.enqueue({ kind: 'trickle', afterChunks: 1, intervalMs: 10 });
    const reading = new AbortController();
    const response = await postChat(fake, c.streaming, { signal: reading.signal });
    const timer = setTimeout(() => reading.abort(), 400);
    const { text, outcome } = await readBody(response, 5000);
    clearTimeout(timer);
    expect(outcome).toBe('error');
    expect(tokens(text)).toEqual(['tok0 ']);
    expect(text).not.toContain(c.endMarker);
    // Bytes kept coming after the good chunk, and the client leaving ended them.
    expect(text.length - text.lastIndexOf('tok0 ')).toBeGreaterThan(10);
    await fake.waitForAborted(1, 2000);
  });

  it('repeats the given text in every chunk of a stream', async () => {
    fake.enqueue({ kind: 'stream', chunks: 3, text: 'xyz' });
    const { text } = await readBody(await postChat(fake, c.streaming));
    expect(text.match(/xyz/g)).toHaveLength(3);
  });

  it('waits before the headers on delay, then plays `then`', async () => {
    fake.enqueue({ kind: 'delay', ms: 150, then: { kind: 'status', status: 500 } });
    const started = Date.now();
    const response = await postChat(fake, c.whole);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expect(response.status).toBe(500);
  });

  it('stalls after the headers: 200 and the stream type, then no byte; a client leaving counts as aborted', async () => {
    fake.enqueue({ kind: 'stall-after-headers' });
    const response = await postChat(fake, c.streaming);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(c.streamType);
    const { text, outcome } = await readBody(response, 300);
    expect({ text, outcome }).toEqual({ text: '', outcome: 'idle' });
    await fake.waitForAborted(1, 2000);
    expect(fake.inFlight).toBe(0);
  });

  it('stalls after N chunks without the end marker', async () => {
    fake.enqueue({ kind: 'stall-after-chunks', chunks: 2 });
    const { text, outcome } = await readBody(await postChat(fake, c.streaming), 300);
    expect(outcome).toBe('idle');
    expect(tokens(text)).toEqual(['tok0 ', 'tok1 ']);
    expect(text).not.toContain(c.endMarker);
    await fake.waitForAborted(1, 2000);
  });

  it('cuts the stream after N chunks: the body fails without the end marker, and that is no client abort', async () => {
    fake.enqueue({ kind: 'cut-stream', afterChunks: 3 });
    const { text, outcome } = await readBody(await postChat(fake, c.streaming));
    expect(outcome).toBe('error');
    expect(tokens(text)).toEqual(['tok0 ', 'tok1 ', 'tok2 ']);
    expect(text).not.toContain(c.endMarker);
    // The next request works (on a new connection).
    expect((await postChat(fake, c.whole)).status).toBe(200);
    expect(fake.aborted).toBe(0);
  });

  it('sends a garbage chunk after N good ones, then ends the response normally', async () => {
    fake.enqueue({ kind: 'malformed-chunk', afterChunks: 2 });
    const { text, outcome } = await readBody(await postChat(fake, c.streaming));
    expect(outcome).toBe('end');
    expect(tokens(text)).toHaveLength(2);
    expect(text.endsWith(c.garbage)).toBe(true);
    expect(text).not.toContain(c.endMarker);
  });

  it('sends the in-stream error event after N chunks, without the end marker', async () => {
    fake.enqueue({ kind: 'error-event', afterChunks: 1 });
    const { text, outcome } = await readBody(await postChat(fake, c.streaming));
    expect(outcome).toBe('end');
    expect(tokens(text)).toEqual(['tok0 ']);
    expect(text).toMatch(c.errorEvent);
    expect(text).not.toContain(c.endMarker);
  });

  it('answers 200 JSON with a body that is not JSON on malformed-body', async () => {
    fake.enqueue({ kind: 'malformed-body' });
    const response = await postChat(fake, c.whole);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = await response.text();
    expect(() => JSON.parse(body)).toThrow();
  });

  it.each([400, 401, 429, 500, 503])('answers status %i with its error body and the message', async (status) => {
    fake.enqueue({ kind: 'status', status, retryAfter: 7, message: `scripted ${status}` });
    const response = await postChat(fake, c.streaming);
    expect(response.status).toBe(status);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toContain(`"scripted ${status}"`);
  });

  it('omits Retry-After unless given', async () => {
    fake.enqueue({ kind: 'status', status: 503 });
    const response = await postChat(fake, c.whole);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.text()).toContain('fake');
  });

  it('answers 404 on an unknown path and 400 on a non-JSON body, without consuming the script', async () => {
    fake.enqueue({ kind: 'status', status: 418 });
    const missing = await fetch(`${fake.url}/nowhere`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(await missing.text())).toBeTruthy();
    const bad = await postChat(fake, 'not json at all');
    expect(bad.status).toBe(400);
    expect(JSON.parse(await bad.text())).toBeTruthy();
    expect((await postChat(fake, c.whole)).status).toBe(418);
  });

  describe('streaming-only behaviors on a non-streaming request', () => {
    it('stream: the whole text at once', async () => {
      fake.enqueue({ kind: 'stream', chunks: 3 });
      const text = await (await postChat(fake, c.whole)).text();
      expect(text).toContain(JSON.stringify(streamedText(3)));
    });

    it('stall-after-headers: JSON headers, then no byte', async () => {
      fake.enqueue({ kind: 'stall-after-headers' });
      const response = await postChat(fake, c.whole);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await readBody(response, 300)).toEqual({ text: '', outcome: 'idle' });
      await fake.waitForAborted(1, 2000);
    });

    it('cut-stream: half a JSON body, then the connection fails', async () => {
      fake.enqueue({ kind: 'cut-stream', afterChunks: 1 });
      const { text, outcome } = await readBody(await postChat(fake, c.whole));
      expect(outcome).toBe('error');
      expect(text.startsWith('{')).toBe(true);
      expect(() => JSON.parse(text)).toThrow();
    });

    it('error-event: 200 with the error body', async () => {
      fake.enqueue({ kind: 'error-event', afterChunks: 1, message: 'mid-answer failure' });
      const response = await postChat(fake, c.whole);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('"mid-answer failure"');
    });

    it('malformed-chunk: a body that is not JSON', async () => {
      fake.enqueue({ kind: 'malformed-chunk', afterChunks: 1 });
      const body = await (await postChat(fake, c.whole)).text();
      expect(() => JSON.parse(body)).toThrow();
    });
  });
});
