import type { StreamEvent } from '../contract';
import type { ChatCompletionChunk } from '../openai-types';
import { AnthropicStreamDecoder } from './anthropic-stream';
import { protocolFailure } from '../testing/protocol-failure';

function sse(type: string, data: Record<string, unknown> = {}): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

const messageStart = sse('message_start', {
  message: { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [], stop_reason: null, usage: { input_tokens: 12, cache_read_input_tokens: 30, output_tokens: 1 } },
});
const textStart = (index: number) => sse('content_block_start', { index, content_block: { type: 'text', text: '' } });
const textDelta = (index: number, text: string) => sse('content_block_delta', { index, delta: { type: 'text_delta', text } });
const toolStart = (index: number, id: string, name: string) => sse('content_block_start', { index, content_block: { type: 'tool_use', id, name, input: {} } });
const jsonDelta = (index: number, partial_json: string) => sse('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } });
const blockStop = (index: number) => sse('content_block_stop', { index });
const messageDelta = (stop_reason: string, output_tokens: number) => sse('message_delta', { delta: { stop_reason, stop_sequence: null }, usage: { output_tokens } });
const messageStop = sse('message_stop');
const ping = sse('ping');

function decoder(includeUsage = false): AnthropicStreamDecoder {
  return new AnthropicStreamDecoder({ includeUsage, model: 'claude-deployment' });
}

/** Feeds `text` in pieces of `size` bytes (1 = byte by byte, splitting every multi-byte character). */
function feed(target: AnthropicStreamDecoder, text: string, size = Number.POSITIVE_INFINITY): StreamEvent[] {
  const bytes = Buffer.from(text, 'utf8');
  const events: StreamEvent[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) events.push(...target.push(bytes.subarray(offset, offset + size)));
  events.push(...target.end());
  return events;
}

function chunks(events: StreamEvent[]): ChatCompletionChunk[] {
  return events.map((event) => JSON.parse(event.json) as ChatCompletionChunk);
}

function contentOf(events: StreamEvent[]): string {
  return chunks(events)
    .map((chunk) => chunk.choices[0]?.delta.content ?? '')
    .join('');
}

function argumentsByIndex(events: StreamEvent[]): Map<number, string> {
  const byIndex = new Map<number, string>();
  for (const chunk of chunks(events)) {
    for (const call of chunk.choices[0]?.delta.tool_calls ?? []) byIndex.set(call.index, (byIndex.get(call.index) ?? '') + (call.function?.arguments ?? ''));
  }
  return byIndex;
}

const textStream = messageStart + textStart(0) + ping + textDelta(0, 'hé') + textDelta(0, 'llo 😀') + blockStop(0) + messageDelta('end_turn', 5) + messageStop;

describe('AnthropicStreamDecoder: text', () => {
  it('opens with a non-substantive role chunk, then content chunks, then the finish reason', () => {
    const target = decoder();
    const events = feed(target, textStream);
    expect(target.finished).toBe(true);
    const parsed = chunks(events);
    expect(parsed.map((chunk) => chunk.choices[0])).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null },
      { index: 0, delta: { content: 'hé' }, finish_reason: null },
      { index: 0, delta: { content: 'llo 😀' }, finish_reason: null },
      { index: 0, delta: {}, finish_reason: 'stop' },
    ]);
    expect(events.map((event) => event.substantive)).toEqual([false, true, true, true]);
    for (const chunk of parsed) {
      expect(chunk).toMatchObject({ id: 'chatcmpl-msg_01', object: 'chat.completion.chunk', model: 'claude-sonnet-4-5-20250929', created: parsed[0]?.created });
      expect(chunk).not.toHaveProperty('usage');
    }
    expect(events.every((event) => event.usage === undefined)).toBe(true);
  });

  it.each([1, 2, 3, 7, 13])('gives the same chunks when fed %i byte(s) at a time, multi-byte characters split included', (size) => {
    const whole = feed(decoder(), textStream);
    const pieces = feed(decoder(), textStream, size);
    expect(contentOf(pieces)).toBe('héllo 😀');
    expect(pieces.map((event) => event.json)).toEqual(whole.map((event) => event.json));
  });

  it('accepts CRLF line endings and SSE comments', () => {
    const events = feed(decoder(), `: keep-alive\r\n\r\n${textStream.replace(/\n/g, '\r\n')}`, 1);
    expect(contentOf(events)).toBe('héllo 😀');
  });

  it('marks an empty text delta as not substantive', () => {
    const events = feed(decoder(), messageStart + textDelta(0, '') + messageDelta('end_turn', 1) + messageStop);
    expect(events.map((event) => event.substantive)).toEqual([false, false, true]);
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'stop'],
  ])('maps stop_reason %s to finish_reason %s', (stopReason, finish) => {
    const parsed = chunks(feed(decoder(), messageStart + messageDelta(stopReason, 1) + messageStop));
    expect(parsed[parsed.length - 1]?.choices[0]?.finish_reason).toBe(finish);
  });

  it('ignores ping, thinking and unknown events', () => {
    const events = feed(
      decoder(),
      messageStart +
        ping +
        sse('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }) +
        sse('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'secret' } }) +
        blockStop(0) +
        sse('future_event', { anything: true }) +
        textStart(1) +
        textDelta(1, 'ok') +
        blockStop(1) +
        messageDelta('end_turn', 2) +
        ping +
        messageStop,
    );
    expect(events).toHaveLength(3);
    expect(contentOf(events)).toBe('ok');
  });
});

describe('AnthropicStreamDecoder: tool calls', () => {
  const weatherArgs = ['', '{"ci', 'ty": "Pa', 'ris", "note": "é😀\\"', '"}'];
  const toolStream =
    messageStart +
    textStart(0) +
    textDelta(0, 'Checking.') +
    blockStop(0) +
    toolStart(1, 'toolu_a', 'weather') +
    weatherArgs.map((fragment) => jsonDelta(1, fragment)).join('') +
    blockStop(1) +
    toolStart(2, 'toolu_b', 'search') +
    jsonDelta(2, '{"q":') +
    ping +
    jsonDelta(2, '"x"}') +
    blockStop(2) +
    messageDelta('tool_use', 40) +
    messageStop;

  it('numbers tool calls from 0 counting tool_use blocks only, id and name first', () => {
    const events = feed(decoder(), toolStream);
    const starts = chunks(events).flatMap((chunk) => (chunk.choices[0]?.delta.tool_calls ?? []).filter((call) => call.id !== undefined));
    expect(starts).toEqual([
      { index: 0, id: 'toolu_a', type: 'function', function: { name: 'weather', arguments: '' } },
      { index: 1, id: 'toolu_b', type: 'function', function: { name: 'search', arguments: '' } },
    ]);
    const parsed = chunks(events);
    expect(parsed[parsed.length - 1]?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it.each([Number.POSITIVE_INFINITY, 1, 5])('reassembles the arguments exactly (fed %s bytes at a time)', (size) => {
    const events = feed(decoder(), toolStream, size);
    const args = argumentsByIndex(events);
    expect(args.get(0)).toBe(weatherArgs.join(''));
    expect(JSON.parse(args.get(0) ?? '')).toEqual({ city: 'Paris', note: 'é😀"' });
    expect(args.get(1)).toBe('{"q":"x"}');
    const toolEvents = events.filter((event) => (JSON.parse(event.json) as ChatCompletionChunk).choices[0]?.delta.tool_calls);
    expect(toolEvents.every((event) => event.substantive)).toBe(true);
  });

  it('gives a tool without input {} as arguments, like the whole-answer decoder', () => {
    const events = feed(decoder(), messageStart + toolStart(0, 'toolu_n', 'now') + jsonDelta(0, '') + blockStop(0) + messageDelta('tool_use', 3) + messageStop);
    expect(argumentsByIndex(events).get(0)).toBe('{}');
  });

  it('rejects input for a block that was never opened as tool_use', () => {
    const target = decoder();
    target.push(Buffer.from(messageStart + textStart(0)));
    expect(protocolFailure(() => target.push(Buffer.from(jsonDelta(0, '{}')))).reason).toBe('malformed_chunk');
  });
});

describe('AnthropicStreamDecoder: usage', () => {
  it('ends with a choices: [] usage chunk when include_usage was asked', () => {
    const events = feed(decoder(true), textStream);
    const last = events[events.length - 1];
    const usage = { prompt_tokens: 42, completion_tokens: 5, total_tokens: 47 };
    expect(JSON.parse(last?.json ?? '')).toEqual({ id: 'chatcmpl-msg_01', object: 'chat.completion.chunk', created: expect.any(Number), model: 'claude-sonnet-4-5-20250929', choices: [], usage });
    expect(last?.usage).toEqual(usage);
    expect(last?.substantive).toBe(false);
    expect(events.filter((event) => event.usage)).toHaveLength(1);
  });

  it('sends no usage chunk otherwise, but still reports the counts to the gateway', () => {
    const target = decoder(false);
    const events = feed(target, textStream);
    expect(chunks(events).every((chunk) => chunk.choices.length === 1)).toBe(true);
    expect(target.usage).toEqual({ prompt_tokens: 42, completion_tokens: 5, total_tokens: 47 });
  });

  it('counts the events it completed (progress for the idle timer), pings included', () => {
    const target = decoder(false);
    target.push(Buffer.from(messageStart + ping + textStart(0) + textDelta(0, 'a').slice(0, 20)));
    expect(target.events).toBe(3);
  });

  it('an event growing past maxEventBytes while incomplete is upstream_too_large, with the events before it', () => {
    const target = new AnthropicStreamDecoder({ includeUsage: false, model: 'claude', maxEventBytes: 1000 });
    target.push(Buffer.from(messageStart + textStart(0) + textDelta(0, 'ok')));
    const error = protocolFailure(() => target.push(Buffer.from(textDelta(0, 'b') + 'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":"' + 'x'.repeat(2000))));
    expect(error.reason).toBe('upstream_too_large');
    expect(error.decodedBefore.map((e) => JSON.parse(e.json).choices[0].delta.content)).toEqual(['b']);
  });
});

describe('AnthropicStreamDecoder: failures', () => {
  it('throws upstream_error_event with the message of an error event', () => {
    const target = decoder();
    target.push(Buffer.from(messageStart + textDelta(0, 'partial')));
    const error = protocolFailure(() => target.push(Buffer.from(sse('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }))));
    expect(error.reason).toBe('upstream_error_event');
    expect(error.message).toContain('Overloaded');
  });

  it('throws malformed_chunk on data that is not JSON', () => {
    const target = decoder();
    target.push(Buffer.from(messageStart));
    expect(protocolFailure(() => target.push(Buffer.from('event: content_block_delta\ndata: {"type":"content_bl\n\n'))).reason).toBe('malformed_chunk');
  });

  it('throws malformed_chunk on content before message_start', () => {
    expect(protocolFailure(() => decoder().push(Buffer.from(textDelta(0, 'orphan')))).reason).toBe('malformed_chunk');
    expect(protocolFailure(() => decoder().push(Buffer.from(messageStop))).reason).toBe('malformed_chunk');
  });

  it('throws stream_cut when the body ends before message_stop', () => {
    const target = decoder();
    target.push(Buffer.from(messageStart + textDelta(0, 'half an ans') + messageDelta('end_turn', 3)));
    expect(target.finished).toBe(false);
    expect(protocolFailure(() => target.end()).reason).toBe('stream_cut');
  });

  it('throws stream_cut when message_stop itself is cut before its blank line', () => {
    const target = decoder();
    target.push(Buffer.from(messageStart + messageDelta('end_turn', 3) + messageStop.slice(0, -1)));
    expect(protocolFailure(() => target.end()).reason).toBe('stream_cut');
  });

  it('ignores whatever follows message_stop', () => {
    const target = decoder();
    target.push(Buffer.from(textStream));
    expect(target.push(Buffer.from(textDelta(0, 'late') + 'data: not json\n\n'))).toEqual([]);
    expect(target.end()).toEqual([]);
  });
});
