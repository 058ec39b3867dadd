import { UpstreamProtocolError, type Wire, type WireStream } from '@orcest/providers';
import { TextCompletionStream } from './text-completion-stream';

/** A chat wire stream that hands out scripted client bytes, one string per push. */
function chatStream(outputs: Wire[], failWith?: UpstreamProtocolError): WireStream {
  let i = 0;
  return {
    push: () => {
      if (i === outputs.length && failWith) throw failWith;
      return outputs[i++] ?? '';
    },
    end: () => '',
    finished: false,
    started: true,
    usage: undefined,
    events: 0,
  };
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 5, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;

describe('TextCompletionStream', () => {
  const chat = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), 'data: [DONE]\n\n'].join('');

  function texts(out: string): Array<Record<string, unknown>> {
    return out
      .split('\n\n')
      .filter((e) => e.startsWith('data: {'))
      .map((e) => JSON.parse(e.slice(6)) as Record<string, unknown>);
  }

  it.each([1, 7, 50, chat.length])('re-frames chat chunks as text_completion chunks at any split (%i characters)', (size) => {
    const pieces: string[] = [];
    for (let at = 0; at < chat.length; at += size) pieces.push(chat.slice(at, at + size));
    const stream = new TextCompletionStream(chatStream(pieces));
    let out = '';
    for (let i = 0; i < pieces.length; i++) out += stream.push(Buffer.alloc(0)) as string;
    const events = texts(out);
    expect(events.map((e) => (e['choices'] as Array<{ text: string }>)[0]?.text)).toEqual(['Hel', 'lo', '']);
    expect(events[0]).toMatchObject({ id: 'cmpl-1', object: 'text_completion', created: 5, model: 'm', choices: [{ text: 'Hel', index: 0, logprobs: null, finish_reason: null }] });
    expect(events[2]).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
    expect(out.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('keeps the usage chunk; translates what was due before a fault', () => {
    const fault = new UpstreamProtocolError('cut', 'stream_cut');
    fault.wireBefore = chunk({ content: 'x' });
    const stream = new TextCompletionStream(chatStream([`data: ${JSON.stringify({ id: 'chatcmpl-1', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })}\n\n`], fault));
    expect(texts(stream.push(Buffer.alloc(0)) as string)[0]).toMatchObject({ object: 'text_completion', choices: [], usage: { total_tokens: 3 } });
    expect(() => stream.push(Buffer.alloc(0))).toThrow(fault);
    expect(texts(fault.wireBefore as string)[0]).toMatchObject({ choices: [{ text: 'x' }] });
  });
});
