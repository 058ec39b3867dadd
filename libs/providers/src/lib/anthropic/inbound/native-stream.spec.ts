import { protocolFailure } from '../../testing/protocol-failure';
import { NativeMessagesStream } from './native-stream';

const sse = (type: string, data: Record<string, unknown> = {}) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const START = sse('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], usage: { input_tokens: 12, output_tokens: 1 } } });
const THINKING = sse('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }) + sse('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } });
const TEXT = sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) + sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hi ✓' } });
const END = sse('content_block_stop', { index: 0 }) + sse('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 6 } }) + sse('message_stop');

describe('NativeMessagesStream', () => {
  it('forwards the upstream bytes untouched, whatever the read size, and reads usage and the end from them', () => {
    const upstream = Buffer.from(START + sse('ping') + TEXT + END, 'utf8');
    for (const size of [1, 5, upstream.length]) {
      const stream = new NativeMessagesStream(1 << 20);
      const out: Buffer[] = [];
      for (let at = 0; at < upstream.length; at += size) {
        const wire = stream.push(upstream.subarray(at, at + size));
        out.push(typeof wire === 'string' ? Buffer.from(wire) : wire);
      }
      out.push(Buffer.from(stream.end()));
      expect(Buffer.concat(out).equals(upstream)).toBe(true);
      expect(stream.finished).toBe(true);
      expect(stream.usage).toEqual({ prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 });
    }
  });

  it('is started by the first text or thinking delta, not by message_start', () => {
    const text = new NativeMessagesStream(1 << 20);
    text.push(Buffer.from(START));
    expect(text.started).toBe(false);
    text.push(Buffer.from(TEXT));
    expect(text.started).toBe(true);
    const thinking = new NativeMessagesStream(1 << 20);
    thinking.push(Buffer.from(START + THINKING));
    expect(thinking.started).toBe(true);
  });

  it('fails on an error event and on a stream cut before message_stop', () => {
    const failing = new NativeMessagesStream(1 << 20);
    failing.push(Buffer.from(START + TEXT));
    expect(protocolFailure(() => failing.push(Buffer.from(sse('error', { error: { type: 'overloaded_error', message: 'Overloaded' } })))).reason).toBe('upstream_error_event');
    const cut = new NativeMessagesStream(1 << 20);
    cut.push(Buffer.from(START + TEXT));
    expect(protocolFailure(() => cut.end()).reason).toBe('stream_cut');
  });

  it('is started by a tool call, and fails a malformed event after it', () => {
    const stream = new NativeMessagesStream(1 << 20);
    stream.push(Buffer.from(START + sse('content_block_start', { index: 0, content_block: { type: 'tool_use', id: 't', name: 'f', input: {} } })));
    expect(stream.started).toBe(true);
    expect(protocolFailure(() => stream.push(Buffer.from('event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, "delta": {garbage\n\n'))).reason).toBe('malformed_chunk');
  });

  it('fails an event growing past the cap instead of buffering it', () => {
    const stream = new NativeMessagesStream(64);
    stream.push(Buffer.from(START));
    expect(protocolFailure(() => stream.push(Buffer.from(`event: content_block_delta\ndata: ${'x'.repeat(100)}`))).reason).toBe('upstream_too_large');
  });
});
