import { UpstreamProtocolError } from '../errors';
import { OpenAiStreamDecoder } from './openai-stream';

const chunk = (delta: object, finish: string | null = null, extra: object = {}) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;

function feedBytewise(decoder: OpenAiStreamDecoder, text: string) {
  const bytes = Buffer.from(text);
  const events = [];
  for (let i = 0; i < bytes.length; i++) events.push(...decoder.push(bytes.subarray(i, i + 1)));
  return events;
}

describe('OpenAiStreamDecoder', () => {
  it('forwards each payload unchanged, even split byte by byte, and finishes at [DONE]', () => {
    const text = chunk({ role: 'assistant', content: '' }) + chunk({ content: 'héllo 😀' }) + chunk({}, 'stop') + 'data: [DONE]\n\n';
    const decoder = new OpenAiStreamDecoder();
    const events = feedBytewise(decoder, text);
    expect(events.map((e) => `data: ${e.json}\n\n`).join('') + 'data: [DONE]\n\n').toBe(text);
    expect(events.map((e) => e.substantive)).toEqual([false, true, true]);
    expect(decoder.finished).toBe(true);
    expect(decoder.end()).toEqual([]);
  });

  it('accepts CRLF framing and keep-alive comments', () => {
    const decoder = new OpenAiStreamDecoder();
    const events = decoder.push(Buffer.from(': ping\r\n\r\n' + chunk({ content: 'a' }).replace(/\n/g, '\r\n') + 'data: [DONE]\r\n\r\n'));
    expect(events).toHaveLength(1);
    expect(decoder.finished).toBe(true);
  });

  it('a garbage payload before any content is a malformed_chunk', () => {
    const decoder = new OpenAiStreamDecoder();
    expect(() => decoder.push(Buffer.from(chunk({ role: 'assistant' }) + 'data: {not json}\n\n'))).toThrow(expect.objectContaining({ reason: 'malformed_chunk' }));
  });

  it('after the first content, a payload cut or mangled mid-way is still caught, with the good chunks kept', () => {
    const decoder = new OpenAiStreamDecoder();
    decoder.push(Buffer.from(chunk({ content: 'first' })));
    let caught: unknown;
    try {
      decoder.push(Buffer.from(chunk({ content: 'second' }) + 'data: {"choices": [ garbage\n\n'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UpstreamProtocolError);
    expect((caught as UpstreamProtocolError).reason).toBe('malformed_chunk');
    expect((caught as UpstreamProtocolError).decodedBefore.map((e) => e.json)).toEqual([JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'second' }, finish_reason: null }] })]);
  });

  it('an in-stream error event is an upstream_error_event, before or after content', () => {
    expect(() => new OpenAiStreamDecoder().push(Buffer.from('data: {"error":{"message":"overloaded"}}\n\n'))).toThrow(/overloaded/);
    const decoder = new OpenAiStreamDecoder();
    decoder.push(Buffer.from(chunk({ content: 'x' })));
    expect(() => decoder.push(Buffer.from('data: { "error": {"message":"later"}}\n\n'))).toThrow(expect.objectContaining({ reason: 'upstream_error_event' }));
  });

  it('a body that ends before [DONE] is a stream_cut, unless a finish reason came (servers that omit [DONE])', () => {
    const cut = new OpenAiStreamDecoder();
    cut.push(Buffer.from(chunk({ content: 'partial' })));
    expect(() => cut.end()).toThrow(expect.objectContaining({ reason: 'stream_cut' }));
    const noDone = new OpenAiStreamDecoder();
    noDone.push(Buffer.from(chunk({ content: 'a' }) + chunk({}, 'stop')));
    expect(noDone.end()).toEqual([]);
    const halfEvent = new OpenAiStreamDecoder();
    halfEvent.push(Buffer.from(chunk({ content: 'a' }) + chunk({}, 'stop') + 'data: {"choi'));
    expect(() => halfEvent.end()).toThrow(expect.objectContaining({ reason: 'stream_cut' }));
  });

  it('reports usage from the usage chunk, in both modes', () => {
    const decoder = new OpenAiStreamDecoder();
    const events = decoder.push(Buffer.from(chunk({ content: 'a' }) + `data: ${JSON.stringify({ id: 'c', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } })}\n\n`));
    expect(events[1].usage).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
  });
});
