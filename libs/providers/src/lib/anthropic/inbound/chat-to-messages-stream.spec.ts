import { OpenAiStreamDecoder } from '../../openai/openai-stream';
import { protocolFailure } from '../../testing/protocol-failure';
import { ChatToMessagesStream } from './chat-to-messages-stream';

/** Tool arguments with a `\u` escape, an escaped quote and an emoji, streamed in awkward fragments. */
const ARGS = '{"note":"caf\\u00e9 \\"q\\" 😀"}';
const FRAGMENTS = [ARGS.slice(0, ARGS.indexOf('\\u00e9') + 3), ARGS.slice(ARGS.indexOf('\\u00e9') + 3, ARGS.indexOf('\\"q') + 1), ARGS.slice(ARGS.indexOf('\\"q') + 1, ARGS.indexOf('😀') + 1), ARGS.slice(ARGS.indexOf('😀') + 1)];

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => `data: ${JSON.stringify({ id: 'chatcmpl-7', object: 'chat.completion.chunk', created: 1, model: 'gpt-x', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const usage = `data: ${JSON.stringify({ id: 'chatcmpl-7', object: 'chat.completion.chunk', created: 1, model: 'gpt-x', choices: [], usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 } })}\n\n`;

const UPSTREAM =
  chunk({ role: 'assistant', content: '' }) +
  chunk({ content: 'Hé ' }) +
  chunk({ content: 'there' }) +
  chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'note', arguments: '' } }] }) +
  FRAGMENTS.map((fragment) => chunk({ tool_calls: [{ index: 0, function: { arguments: fragment } }] })).join('') +
  chunk({}, 'tool_calls') +
  usage +
  'data: [DONE]\n\n';

interface Event {
  event: string;
  data: Record<string, unknown>;
}

function encoder(): ChatToMessagesStream {
  return new ChatToMessagesStream(new OpenAiStreamDecoder({ forwardUsageChunk: false }), { model: 'deployment-model', estimatedInputTokens: 4 });
}

/** Feeds the upstream's bytes in pieces of `size` (1: byte by byte, splitting every multi-byte character). */
function run(size: number, upstream = UPSTREAM): { events: Event[]; stream: ChatToMessagesStream } {
  const stream = encoder();
  const bytes = Buffer.from(upstream, 'utf8');
  let out = '';
  for (let at = 0; at < bytes.length; at += size) out += stream.push(bytes.subarray(at, at + size));
  out += stream.end();
  return { events: parse(out), stream };
}

function parse(wire: string): Event[] {
  return wire
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      return { event: (eventLine ?? '').slice('event: '.length), data: JSON.parse((dataLine ?? '').slice('data: '.length)) as Record<string, unknown> };
    });
}

describe('ChatToMessagesStream', () => {
  it('re-encodes an OpenAI stream as Anthropic events, in order', () => {
    const { events, stream } = run(Number.POSITIVE_INFINITY);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      ...FRAGMENTS.map(() => 'content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]?.data).toMatchObject({ message: { id: 'msg_7', model: 'gpt-x', role: 'assistant', content: [], usage: { input_tokens: 4, output_tokens: 0 } } });
    expect(events[6]?.data).toEqual({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'call_1', name: 'note', input: {} } });
    expect(events.at(-2)?.data).toEqual({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { input_tokens: 9, output_tokens: 5 } });
    expect(stream.finished).toBe(true);
    expect(stream.usage).toEqual({ prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 });
  });

  it.each([1, 2, 3, 7, 64])('gives the same text and exact tool arguments whatever the read size (%i bytes)', (size) => {
    const { events } = run(size);
    let text = '';
    let json = '';
    for (const { data } of events) {
      const delta = data['delta'] as Record<string, unknown> | undefined;
      if (delta?.['type'] === 'text_delta') text += delta['text'] as string;
      if (delta?.['type'] === 'input_json_delta') json += delta['partial_json'] as string;
    }
    expect(text).toBe('Hé there');
    expect(json).toBe(ARGS);
    expect(JSON.parse(json)).toEqual({ note: 'café "q" 😀' });
  });

  it('is started only by content, and ends a content-less answer with one empty text block', () => {
    const stream = encoder();
    stream.push(Buffer.from(chunk({ role: 'assistant', content: '' })));
    expect(stream.started).toBe(false);
    const events = parse(stream.push(Buffer.from(chunk({}, 'length') + 'data: [DONE]\n\n')));
    expect(events.map((e) => e.event)).toEqual(['content_block_start', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(events[2]?.data).toMatchObject({ delta: { stop_reason: 'max_tokens' } });
  });

  it('fails a cut stream (no message_stop), keeping the events before the cut for the client', () => {
    const stream = encoder();
    const first = parse(stream.push(Buffer.from(chunk({ role: 'assistant', content: '' }) + chunk({ content: 'partial' }))));
    expect(first.map((e) => e.event)).toContain('content_block_delta');
    expect(stream.started).toBe(true);
    const failure = protocolFailure(() => stream.end());
    expect(failure.reason).toBe('stream_cut');
    expect(String(failure.wireBefore)).not.toContain('message_stop');
  });

  it('passes on an in-stream error with the events decoded before it', () => {
    const stream = encoder();
    stream.push(Buffer.from(chunk({ role: 'assistant', content: '' })));
    const failure = protocolFailure(() => stream.push(Buffer.from(chunk({ content: 'a' }) + 'data: {"error":{"message":"overloaded"}}\n\n')));
    expect(failure.reason).toBe('upstream_error_event');
    expect(String(failure.wireBefore)).toContain('"text":"a"');
  });
});
