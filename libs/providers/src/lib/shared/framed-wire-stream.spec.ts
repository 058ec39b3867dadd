import type { StreamDecoder, StreamEvent } from '../contract';
import { UpstreamProtocolError } from '../errors';
import { FramedWireStream } from './framed-wire-stream';

/** A decoder scripted per push: the events to return, or a fault after some of them. */
function scripted(steps: Array<{ events: StreamEvent[]; fault?: boolean; finish?: boolean }>): StreamDecoder {
  let finished = false;
  return {
    usage: undefined,
    events: 0,
    get finished() {
      return finished;
    },
    push() {
      const step = steps.shift() ?? { events: [] };
      if (step.fault) {
        const error = new UpstreamProtocolError('garbage', 'malformed_chunk');
        error.decodedBefore = step.events;
        throw error;
      }
      if (step.finish) finished = true;
      return step.events;
    },
    end: () => [],
  };
}

const event = (json: string, substantive = true): StreamEvent => ({ json, substantive });

describe('FramedWireStream', () => {
  it('frames each chunk and adds [DONE] once, when the decoder finishes or the body ends', () => {
    const finishing = new FramedWireStream(scripted([{ events: [event('{"a":1}', false)] }, { events: [event('{"b":2}')], finish: true }]));
    expect(finishing.push(Buffer.from('x'))).toBe('data: {"a":1}\n\n');
    expect(finishing.started).toBe(false);
    expect(finishing.push(Buffer.from('x'))).toBe('data: {"b":2}\n\ndata: [DONE]\n\n');
    expect(finishing.started).toBe(true);
    expect(finishing.push(Buffer.from('x'))).toBe('');
    expect(finishing.end()).toBe('');

    const ending = new FramedWireStream(scripted([{ events: [event('{"c":3}')] }]));
    ending.push(Buffer.from('x'));
    expect(ending.end()).toBe('data: [DONE]\n\n');
  });

  it('a fault carries the framed chunks before it in wireBefore', () => {
    const stream = new FramedWireStream(scripted([{ events: [event('{"ok":1}')], fault: true }]));
    expect(() => stream.push(Buffer.from('x'))).toThrow(expect.objectContaining({ reason: 'malformed_chunk', wireBefore: 'data: {"ok":1}\n\n' }));
    expect(stream.started).toBe(true);
  });
});
