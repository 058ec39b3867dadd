import { SseParser } from './sse-parser';

function feed(text: string, step: number) {
  const parser = new SseParser();
  const bytes = Buffer.from(text);
  const messages = [];
  for (let i = 0; i < bytes.length; i += step) messages.push(...parser.push(bytes.subarray(i, i + step)));
  return { messages, pending: parser.pending };
}

describe('SseParser', () => {
  // The canonical `data: …\n\n` framing takes a fast path; mixing it with every other rule
  // must give the same messages however the bytes are split.
  const mixed =
    'data: {"a":1}\n\n' +
    ': keep-alive\n\n' +
    'event: delta\ndata: {"b":2}\n\n' +
    'data: line one\ndata: line two\n\n' +
    'data:{"nospace":true}\n\n' +
    'data: {"crlf":1}\r\n\r\n' +
    'data: {"cr":1}\r\r' +
    'data: {"é":"😀"}\n\n' +
    'data: [DONE]\n\n';
  const expected = [
    { event: undefined, data: '{"a":1}' },
    { event: 'delta', data: '{"b":2}' },
    { event: undefined, data: 'line one\nline two' },
    { event: undefined, data: '{"nospace":true}' },
    { event: undefined, data: '{"crlf":1}' },
    { event: undefined, data: '{"cr":1}' },
    { event: undefined, data: '{"é":"😀"}' },
    { event: undefined, data: '[DONE]' },
  ];

  it.each([1, 2, 3, 7, 64, 10_000])('parses mixed framing split every %i bytes', (step) => {
    const { messages, pending } = feed(mixed, step);
    expect(messages).toEqual(expected);
    expect(pending).toBe(false);
  });

  it('keeps an event cut before its blank line pending', () => {
    expect(feed('data: {"a":1}\n\ndata: {"b":2}\n', 10_000)).toEqual({ messages: [{ event: undefined, data: '{"a":1}' }], pending: true });
  });
});
