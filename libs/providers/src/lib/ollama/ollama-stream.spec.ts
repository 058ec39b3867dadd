import type { StreamEvent } from '../contract';
import type { ChatCompletionChunk, ChatRequest } from '../openai-types';
import { OllamaStreamDecoder } from './ollama-stream';
import { protocolFailure } from '../testing/protocol-failure';

const request: ChatRequest = { model: 'ollama/llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: true };
const createdAt = '2024-07-22T20:33:28.123648Z';

function line(message: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ model: 'llama3.2', created_at: createdAt, message: { role: 'assistant', ...message }, done: false, ...extra })}\n`;
}

function doneLine(extra: Record<string, unknown> = {}): string {
  return line({ content: '' }, { done: true, done_reason: 'stop', prompt_eval_count: 10, eval_count: 4, ...extra });
}

/** Feeds the body one byte at a time, the worst case for reassembly. */
function feedBytes(decoder: OllamaStreamDecoder, body: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const byte of Buffer.from(body, 'utf8')) events.push(...decoder.push(Buffer.from([byte])));
  return events;
}

function chunks(events: StreamEvent[]): ChatCompletionChunk[] {
  return events.map((event) => JSON.parse(event.json) as ChatCompletionChunk);
}

function deltas(events: StreamEvent[]): Array<ChatCompletionChunk['choices'][number]['delta']> {
  return chunks(events).flatMap((chunk) => chunk.choices.map((choice) => choice.delta));
}

const reasonOf = (run: () => unknown): string => protocolFailure(run).reason;

describe('OllamaStreamDecoder', () => {
  it('decodes a text stream fed byte by byte, multi-byte characters included', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2');
    const events = feedBytes(decoder, line({ content: 'héllo' }) + line({ content: ' 😀' }) + doneLine());
    expect(decoder.finished).toBe(true);
    expect(decoder.end()).toEqual([]);

    const all = chunks(events);
    expect(all.map((chunk) => chunk.choices[0])).toEqual([
      { index: 0, delta: { role: 'assistant', content: 'héllo' }, finish_reason: null },
      { index: 0, delta: { content: ' 😀' }, finish_reason: null },
      { index: 0, delta: {}, finish_reason: 'stop' },
    ]);
    expect(events.map((event) => event.substantive)).toEqual([true, true, true]);
    expect(deltas(events).map((delta) => delta.content ?? '').join('')).toBe('héllo 😀');
  });

  it('gives all chunks one id, created and model, in the OpenAI chunk shape', () => {
    const decoder = new OllamaStreamDecoder(request, 'fallback-model');
    const all = chunks(decoder.push(Buffer.from(line({ content: 'a' }) + line({ content: 'b' }) + doneLine())));
    expect(all).toHaveLength(3);
    for (const chunk of all) {
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.id).toBe(all[0]?.id);
      expect(chunk.created).toBe(Math.floor(Date.parse('2024-07-22T20:33:28Z') / 1000));
      expect(chunk.model).toBe('llama3.2');
    }
    expect(all[0]?.id).toMatch(/^chatcmpl-/);
  });

  it('reassembles a line split across pushes and ignores blank lines', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2');
    const text = line({ content: 'split' });
    expect(decoder.push(Buffer.from(`\n\n${text.slice(0, 20)}`))).toEqual([]);
    const events = decoder.push(Buffer.from(`${text.slice(20)}\r\n\n`));
    expect(deltas(events)).toEqual([{ role: 'assistant', content: 'split' }]);
  });

  it('opens with a non-substantive role chunk when the first piece is empty, and sends the role only once', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2');
    const first = decoder.push(Buffer.from(line({ content: '' })));
    expect(deltas(first)).toEqual([{ role: 'assistant', content: '' }]);
    expect(first[0]?.substantive).toBe(false);
    expect(decoder.push(Buffer.from(line({ content: '' })))).toEqual([]);
    const next = decoder.push(Buffer.from(line({ content: 'x' })));
    expect(deltas(next)).toEqual([{ content: 'x' }]);
    expect(next[0]?.substantive).toBe(true);
  });

  it('puts the role on the finish chunk of an empty answer', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2');
    const events = decoder.push(Buffer.from(doneLine()));
    expect(chunks(events).map((chunk) => chunk.choices[0])).toEqual([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: 'stop' }]);
    expect(events[0]?.substantive).toBe(true);
  });

  it('streams tool calls whole, with ids and indexes counting up across lines, and finishes with tool_calls', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2');
    const events = feedBytes(
      decoder,
      line({ content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }, { function: { name: 'get_time', arguments: { tz: 'Asia/Tokyo' } } }] }) +
        line({ content: '', tool_calls: [{ function: { name: 'get_news', arguments: {} } }] }) +
        doneLine(),
    );
    const all = deltas(events);
    expect(all[0]).toEqual({
      role: 'assistant',
      tool_calls: [
        { index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { index: 1, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_time', arguments: '{"tz":"Asia/Tokyo"}' } },
      ],
    });
    expect(all[1]).toEqual({ tool_calls: [{ index: 2, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_news', arguments: '{}' } }] });
    expect(events.slice(0, 2).every((event) => event.substantive)).toBe(true);
    expect(chunks(events)[2]?.choices[0]?.finish_reason).toBe('tool_calls');
    const ids = all.flatMap((delta) => delta.tool_calls ?? []).map((call) => call.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('maps done_reason length to finish_reason length', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2');
    const events = decoder.push(Buffer.from(line({ content: 'cut' }) + doneLine({ done_reason: 'length' })));
    expect(chunks(events)[1]?.choices[0]?.finish_reason).toBe('length');
  });

  it('sends text and finish separately when the done line itself carries content', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2');
    const events = decoder.push(Buffer.from(line({ content: 'tail' }, { done: true, done_reason: 'stop' })));
    expect(chunks(events).map((chunk) => chunk.choices[0])).toEqual([
      { index: 0, delta: { role: 'assistant', content: 'tail' }, finish_reason: null },
      { index: 0, delta: {}, finish_reason: 'stop' },
    ]);
    expect(decoder.finished).toBe(true);
  });

  it('reports usage only when the client asked for it, in a final chunk without choices', () => {
    const plain = new OllamaStreamDecoder(request, 'llama3.2');
    const withoutUsage = plain.push(Buffer.from(line({ content: 'x' }) + doneLine()));
    expect(withoutUsage.every((event) => event.usage === undefined && !('usage' in JSON.parse(event.json)))).toBe(true);

    const asking = new OllamaStreamDecoder({ ...request, stream_options: { include_usage: true } }, 'llama3.2');
    const events = asking.push(Buffer.from(line({ content: 'x' }) + doneLine()));
    expect(events).toHaveLength(3);
    const last = events[2];
    const usage = { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 };
    expect(last?.usage).toEqual(usage);
    expect(last?.substantive).toBe(false);
    expect(JSON.parse(last?.json ?? '{}')).toEqual({ id: chunks(events)[0]?.id, object: 'chat.completion.chunk', created: expect.any(Number), model: 'llama3.2', choices: [], usage });
    expect(events.slice(0, 2).every((event) => event.usage === undefined)).toBe(true);
  });

  it('reports the done line\'s counts to the gateway whether or not the client asked', () => {
    const plain = new OllamaStreamDecoder(request, 'llama3.2');
    plain.push(Buffer.from(line({ content: 'x' })));
    expect(plain.usage).toBeUndefined();
    plain.push(Buffer.from(doneLine()));
    expect(plain.usage).toEqual({ prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 });
    expect(plain.events).toBe(2);
  });

  it('a line growing past maxEventBytes without a newline is upstream_too_large', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2', 1000);
    decoder.push(Buffer.from(line({ content: 'x' })));
    expect(protocolFailure(() => decoder.push(Buffer.from('{"message":{"content":"' + 'y'.repeat(1200)))).reason).toBe('upstream_too_large');
  });

  it('reports zero usage when asked and Ollama counted nothing', () => {
    const decoder = new OllamaStreamDecoder({ ...request, stream_options: { include_usage: true } }, 'llama3.2');
    const events = decoder.push(Buffer.from(line({ content: '' }, { done: true })));
    expect(events[events.length - 1]?.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });

  it('ignores anything after the done line', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2');
    const events = decoder.push(Buffer.from(doneLine() + line({ content: 'late' })));
    expect(events).toHaveLength(1);
    expect(decoder.push(Buffer.from('garbage\n'))).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it('throws upstream_error_event on an error line', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2');
    decoder.push(Buffer.from(line({ content: 'partial' })));
    expect(reasonOf(() => decoder.push(Buffer.from('{"error":"model runner has unexpectedly stopped"}\n')))).toBe('upstream_error_event');
    expect(() => new OllamaStreamDecoder(request, 'm').push(Buffer.from('{"error":"boom"}\n'))).toThrow(/boom/);
  });

  it.each([
    ['not JSON', 'data: {"x":1}\n'],
    ['a JSON array', '[1,2]\n'],
    ['an object without message that is not done', '{"model":"m","done":false}\n'],
  ])('throws malformed_chunk on a line that is %s', (_label, body) => {
    expect(reasonOf(() => new OllamaStreamDecoder(request, 'm').push(Buffer.from(body)))).toBe('malformed_chunk');
  });

  it('throws stream_cut when the body ends before the done line', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2');
    decoder.push(Buffer.from(line({ content: 'half an answer' })));
    expect(decoder.finished).toBe(false);
    expect(reasonOf(() => decoder.end())).toBe('stream_cut');
    expect(reasonOf(() => new OllamaStreamDecoder(request, 'm').end())).toBe('stream_cut');
  });

  it('throws stream_cut when the body ends in the middle of a line', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2');
    const done = doneLine();
    decoder.push(Buffer.from(line({ content: 'x' }) + done.slice(0, done.length - 10)));
    expect(decoder.finished).toBe(false);
    expect(reasonOf(() => decoder.end())).toBe('stream_cut');
  });

  it('accepts a done line that lacks only its final newline', () => {
    const decoder = new OllamaStreamDecoder(request, 'llama3.2');
    decoder.push(Buffer.from(line({ content: 'x' }) + doneLine().trimEnd()));
    expect(decoder.finished).toBe(false);
    const events = decoder.end();
    expect(decoder.finished).toBe(true);
    expect(chunks(events).map((chunk) => chunk.choices[0]?.finish_reason)).toEqual(['stop']);
  });
});
