/**
 * The wire stream must send the client exactly what the decoder path (decode, check, frame)
 * sends, whatever the framing and wherever the reads split the bytes — including the bytes
 * before a fault and which fault it is. Every case below is compared against that reference
 * under many splits.
 */
import type { WireStream } from '../contract';
import { UpstreamProtocolError } from '../errors';
import { FramedWireStream } from '../shared/framed-wire-stream';
import { OpenAiStreamDecoder, type OpenAiStreamOptions } from './openai-stream';
import { OpenAiWireStream } from './openai-wire-stream';

const chunk = (delta: object, finish: string | null = null, extra: object = {}) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
const role = chunk({ role: 'assistant', content: '' });
const DONE = 'data: [DONE]\n\n';

interface Outcome {
  readonly bytes: string;
  readonly fault?: string;
  readonly finished: boolean;
  readonly started: boolean;
}

/** Feeds `text` in reads cut at `cuts` (byte offsets), then ends; what the client would get. */
function run(stream: WireStream, text: string, cuts: readonly number[]): Outcome {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  const take = (wire: Buffer | string) => out.push(typeof wire === 'string' ? Buffer.from(wire) : Buffer.from(wire));
  let from = 0;
  try {
    for (const cut of [...cuts, bytes.length]) {
      if (cut <= from) continue;
      // A copy per read, as a socket would hand over fresh memory: views must not alias the caller's buffer.
      take(stream.push(Buffer.from(bytes.subarray(from, cut))));
      from = cut;
      if (stream.finished) break;
    }
    if (!stream.finished) take(stream.end());
  } catch (error) {
    if (!(error instanceof UpstreamProtocolError)) throw error;
    take(error.wireBefore);
    return { bytes: Buffer.concat(out).toString(), fault: `${error.reason}: ${error.message}`, finished: stream.finished, started: stream.started };
  }
  return { bytes: Buffer.concat(out).toString(), finished: stream.finished, started: stream.started };
}

/** Deterministic pseudo-random cut points (a fixed LCG), so a failure can be replayed. */
function randomCuts(length: number, seed: number, count: number): number[] {
  let state = seed;
  const cuts: number[] = [];
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    cuts.push(state % (length + 1));
  }
  return cuts.sort((a, b) => a - b);
}

function splits(text: string): number[][] {
  const length = Buffer.byteLength(text);
  const all = [[], Array.from({ length }, (_, i) => i)];
  for (let seed = 1; seed <= 40; seed++) all.push(randomCuts(length, seed, 1 + (seed % 7)));
  return all;
}

function expectSameAsDecoder(text: string, options: OpenAiStreamOptions = {}): Outcome {
  const expected = run(new FramedWireStream(new OpenAiStreamDecoder(options)), text, []);
  for (const cuts of splits(text)) {
    expect({ cuts, ...run(new OpenAiWireStream(options), text, cuts) }).toEqual({ cuts, ...expected });
  }
  return expected;
}

const content = Array.from({ length: 8 }, (_, i) => chunk({ content: `tok${i} ` })).join('');

describe('OpenAiWireStream: the decoder path’s bytes, under any split', () => {
  it('a canonical stream comes out byte for byte, [DONE] included', () => {
    const text = role + content + chunk({}, 'stop') + DONE;
    const outcome = expectSameAsDecoder(text);
    expect(outcome).toEqual({ bytes: text, finished: true, started: true });
  });

  it('a canonical read is forwarded as a view of the upstream bytes (no copy)', () => {
    const stream = new OpenAiWireStream();
    stream.push(Buffer.from(role + chunk({ content: 'first' })));
    const read = Buffer.from(content);
    const wire = stream.push(read);
    expect(Buffer.isBuffer(wire) && wire.buffer === read.buffer).toBe(true);
  });

  it('multi-byte characters split between reads, and tool-call argument deltas, stay intact', () => {
    const tool = (args: string) => chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: args } }] });
    const text = role + chunk({ content: 'héllo 😀 ✓' }) + tool('{"q": "a \\"quoted\\" ') + tool('välue", "n": [1, {"x": "}"}]}') + chunk({}, 'tool_calls') + DONE;
    expect(expectSameAsDecoder(text).bytes).toContain('a \\\\\\"quoted');
  });

  it('mixed framing: comments, CRLF events, multi-line data and event fields between canonical events', () => {
    const crlf = chunk({ content: 'crlf' }).replace(/\n/g, '\r\n');
    const multiLine = 'data: {"id":"c","choices":[{"index":0,\ndata: "delta":{"content":"two lines"},"finish_reason":null}]}\n\n';
    const named = 'event: message\n' + chunk({ content: 'named' });
    const bare = chunk({ content: 'cr only' }).replace(/\n/g, '\r');
    const text = ': OPENROUTER PROCESSING\n\n' + role + content + ': ping\n\n' + crlf + content + multiLine + named + bare + 'data:{"id":"c","choices":[{"index":0,"delta":{"content":"no space"}}]}\n\n' + content + DONE;
    expect(expectSameAsDecoder(text)).toMatchObject({ finished: true, started: true });
  });

  it('a garbage event in the middle of a forwarded read: the chunks before it, then the fault', () => {
    const text = role + chunk({ content: 'first' }) + content + 'data: {"choices": [ garbage\n\n' + content + DONE;
    const outcome = expectSameAsDecoder(text);
    expect(outcome.fault).toMatch(/^malformed_chunk/);
    expect(outcome.bytes).toBe(role + chunk({ content: 'first' }) + content);
  });

  it('garbage that is not brace-shaped, or not JSON inside its braces, both caught as before', () => {
    for (const garbage of ['data: plain text\n\n', 'data: {"a": }\n\n'.replace('{"a": }', '[1, 2]'), 'data: \n\n']) {
      expectSameAsDecoder(role + chunk({ content: 'x' }) + content + garbage + content + DONE);
    }
    // Brace-shaped but not JSON passes the structural check after the first content, as on the decoder path.
    expect(expectSameAsDecoder(role + chunk({ content: 'x' }) + 'data: {not json}\n\n' + DONE).fault).toBeUndefined();
  });

  it('an error event after content, however spaced, ends with upstream_error_event', () => {
    for (const event of ['data: {"error":{"message":"overloaded"}}\n\n', 'data:  { \t"error" :\n\n', 'data: {"error" : {"message":"x"}}\n\n', 'data: {"errors": []}\n\n', 'data: {\u00a0"error":{}}\n\n']) {
      expectSameAsDecoder(role + chunk({ content: 'x' }) + content + event + content + DONE);
    }
    expect(expectSameAsDecoder(role + chunk({ content: 'x' }) + 'data: { "error": {"message":"later"}}\n\n').fault).toMatch(/^upstream_error_event: .*later/);
  });

  it('before the first content every chunk is fully parsed: a fault in the first read is caught before anything is sent', () => {
    const outcome = expectSameAsDecoder(role + 'data: {not json}\n\n' + content + DONE);
    expect(outcome).toMatchObject({ fault: expect.stringMatching(/^malformed_chunk/), started: false });
  });

  it('finish reasons and usage are seen in any chunk, even with several choices (a stream without [DONE] ends cleanly)', () => {
    const twoChoices = `data: ${JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }, { index: 1, delta: {}, finish_reason: 'stop' }] })}\n\n`;
    const ended = expectSameAsDecoder(role + content + twoChoices);
    expect(ended.fault).toBeUndefined();
    expect(ended.finished).toBe(true);
    const spaced = 'data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason" :  "length"}]}\n\n';
    expect(expectSameAsDecoder(role + content + spaced).fault).toBeUndefined();
    const usage = `data: ${JSON.stringify({ id: 'c', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } })}\n\n`;
    const nullUsage = chunk({ content: 'u' }, null, { usage: null });
    expectSameAsDecoder(role + content + nullUsage + chunk({}, 'stop', { usage: null }) + usage + DONE);
    // A finish_reason of null is not a finish: without [DONE] the stream was cut.
    expect(expectSameAsDecoder(role + content + nullUsage).fault).toMatch(/^stream_cut/);
  });

  it('the plain lane hands anything it cannot vouch for to the full checks: keys starting with e, spaced or several finish reasons, usage, braces out of place', () => {
    const plainish = [
      'data: {"extra":1,"choices":[{"index":0,"delta":{"content":"e-key"},"finish_reason":null}]}\n\n',
      'data: {"id":"c","choices":[{"index":0,"delta":{"content":"sp"},"finish_reason": null}]}\n\n',
      'data: {"id":"c","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null},{"index":1,"delta":{},"finish_reason":"stop"}]}\n\n',
      'data: {"id":"c","choices":[{"index":0,"delta":{"content":"b"},"finish_reason":null}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}\n\n',
      'data: {"id":"c","choices":[{"index":0,"delta":{"content":"trailing"},"finish_reason":null}]} \n\n',
      'data: {"id":"c"}x}\n\n',
    ];
    for (const event of plainish) {
      // In a read that ends with [DONE] (finish reasons moot) and in one that does not (they decide how a cut stream ends).
      expectSameAsDecoder(role + chunk({ content: 'x' }) + content + event + content + DONE);
      expectSameAsDecoder(role + chunk({ content: 'x' }) + content + event + content);
    }
    // A finish reason the lane did not look for, in a read that ends with [DONE], changes nothing; without [DONE] it lets the stream end.
    const finished = 'data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n';
    expect(expectSameAsDecoder(role + content + finished + content + DONE)).toMatchObject({ finished: true });
    expect(expectSameAsDecoder(role + content + finished + content).fault).toBeUndefined();
    expect(expectSameAsDecoder(role + content + content).fault).toMatch(/^stream_cut/);
  });

  it('a stream cut mid-event, or before [DONE], is a stream_cut', () => {
    expect(expectSameAsDecoder(role + content + 'data: {"id":"c","choi').fault).toMatch(/^stream_cut/);
    expect(expectSameAsDecoder(role + content + chunk({ content: 'x' }).slice(0, -1)).fault).toMatch(/^stream_cut/);
    expect(expectSameAsDecoder(role + content).fault).toMatch(/^stream_cut/);
  });

  it('nothing after [DONE] is forwarded', () => {
    expect(expectSameAsDecoder(role + content + DONE + content + 'data: garbage\n\n').bytes).toBe(role + content + DONE);
  });
});

describe('OpenAiWireStream: usage the client did not ask for', () => {
  const usageChunk = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } })}\n\n`;
  const hidden = { forwardUsageChunk: false };

  it('the usage-only chunk is left out (the rest byte for byte, under any split), its counts kept', () => {
    const withUsage = chunk({ content: 'u' }, null, { usage: null });
    const text = role + content + withUsage + chunk({}, 'stop', { usage: null }) + usageChunk + DONE;
    expect(expectSameAsDecoder(text, hidden)).toEqual({ bytes: role + content + withUsage + chunk({}, 'stop', { usage: null }) + DONE, finished: true, started: true });
    for (const cuts of splits(text)) {
      const stream = new OpenAiWireStream(hidden);
      run(stream, text, cuts);
      expect(stream.usage).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
    }
  });

  it('is kept when the client asked (the default), and a usage chunk with choices is never left out', () => {
    expect(expectSameAsDecoder(role + content + usageChunk + DONE).bytes).toBe(role + content + usageChunk + DONE);
    const both = chunk({}, 'stop', { usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
    expect(expectSameAsDecoder(role + content + both + DONE, hidden).bytes).toBe(role + content + both + DONE);
  });

  it('in CRLF framing (the decoder path) as well', () => {
    const text = (role + content + usageChunk + DONE).replace(/\n/g, '\r\n');
    expect(expectSameAsDecoder(text, hidden).bytes).toBe(role + content + DONE);
  });
});

describe('OpenAiWireStream: counting and capping events', () => {
  it('counts complete events, not comments or partial ones, whatever the framing', () => {
    const stream = new OpenAiWireStream();
    stream.push(Buffer.from(role + ': keep-alive\n\n' + chunk({ content: 'a' }) + chunk({ content: 'b' }).replace(/\n/g, '\r\n') + 'data: {"id":'));
    expect(stream.events).toBe(3);
    stream.push(Buffer.from('"c","choices":[]}\n\n'));
    expect(stream.events).toBe(4);
  });

  it('an event that grows past maxEventBytes before it completes is upstream_too_large, after the events before it', () => {
    const big = `data: {"id":"c","choices":[{"index":0,"delta":{"content":"${'x'.repeat(5000)}"}}]}\n\n`;
    const text = role + chunk({ content: 'first' }) + content + big + DONE;
    const before = role + chunk({ content: 'first' }) + content;
    for (const cuts of [Array.from({ length: Math.ceil(text.length / 500) }, (_, i) => i * 500), Array.from({ length: 30 }, (_, i) => before.length + 1 + i * 300)]) {
      const outcome = run(new OpenAiWireStream({ maxEventBytes: 4096 }), text, cuts);
      expect(outcome.fault).toMatch(/^upstream_too_large/);
      expect(outcome.bytes).toBe(before);
    }
    // The same trickled through the decoder path (CRLF framing).
    const crlf = run(new OpenAiWireStream({ maxEventBytes: 4096 }), text.replace(/\n/g, '\r\n'), Array.from({ length: 40 }, (_, i) => i * 400));
    expect(crlf.fault).toMatch(/^upstream_too_large/);
    // Under the cap, the same stream passes.
    expect(run(new OpenAiWireStream({ maxEventBytes: 8192 }), text, Array.from({ length: 40 }, (_, i) => i * 400)).fault).toBeUndefined();
  });
});
