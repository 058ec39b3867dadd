import { SseParser, UpstreamProtocolError, type Usage, type Wire, type WireStream } from '@orcest/providers';
import { parseResponsesRequest } from './responses-request';
import { responseSkeleton } from './response-object';
import { ResponsesStreamTranslator, ResponsesWireStream } from './responses-stream';
import type { ResponseObject } from './responses-types';

type Event = Record<string, unknown> & { type: string; sequence_number: number };

function chunk(delta: Record<string, unknown>, finish: string | null = null, usage?: Usage): string {
  return `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'served-model', choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
}

function translator(onComplete?: (r: ResponseObject) => void): ResponsesStreamTranslator {
  const parsed = parseResponsesRequest({ model: 'rainymodel/auto', input: 'x', stream: true });
  return new ResponsesStreamTranslator(responseSkeleton(parsed, 'resp_1', 100, true), () => 200, onComplete);
}

function events(sse: string): Event[] {
  const parser = new SseParser();
  return parser.push(sse).map((m) => {
    const body = JSON.parse(m.data) as Event;
    expect(m.event).toBe(body.type);
    return body;
  });
}

const TEXT_AND_TOOLS =
  chunk({ role: 'assistant', content: '' }) +
  chunk({ content: 'Let me ' }) +
  chunk({ content: 'check.' }) +
  chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }) +
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }) +
  chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }) +
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"Tehran"}' } }] }) +
  chunk({}, 'tool_calls') +
  chunk({}, null, { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 }) +
  'data: [DONE]\n\n';

describe('ResponsesStreamTranslator', () => {
  it('emits the Responses events in order, with sequence numbers, and the final response', () => {
    let completed: ResponseObject | undefined;
    const t = translator((r) => (completed = r));
    const out = events(t.push(TEXT_AND_TOOLS));
    expect(out.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(out.map((e) => e.sequence_number)).toEqual(out.map((_, i) => i));
    expect(out[0]).toMatchObject({ response: { id: 'resp_1', status: 'in_progress', output: [] } });
    // The message arrives empty; its part comes with content_part.added (how the SDKs build their snapshot).
    expect(out[2]).toMatchObject({ output_index: 0, item: { type: 'message', role: 'assistant', status: 'in_progress', content: [] } });
    expect(out[6]).toMatchObject({ output_index: 1, item: { type: 'function_call', call_id: 'call_a', name: 'get_weather', arguments: '' } });
    expect(out[10]).toMatchObject({ output_index: 1, delta: '"Tehran"}' });
    expect(out[14]).toMatchObject({ output_index: 1, name: 'get_weather', arguments: '{"city":"Tehran"}' });
    const final = out[18] as unknown as { response: ResponseObject };
    expect(final.response).toMatchObject({
      status: 'completed',
      completed_at: 200,
      model: 'served-model',
      usage: { input_tokens: 9, output_tokens: 4, total_tokens: 13 },
      output: [
        { type: 'message', status: 'completed', content: [{ type: 'output_text', text: 'Let me check.' }] },
        { type: 'function_call', status: 'completed', call_id: 'call_a', arguments: '{"city":"Tehran"}' },
        { type: 'function_call', status: 'completed', call_id: 'call_b', name: 'get_time', arguments: '{}' },
      ],
    });
    expect(completed).toBe(t.response);
    expect(t.completed).toBe(true);
  });

  it('gives the same events whatever the split points of the upstream bytes', () => {
    const whole = events(translator().push(TEXT_AND_TOOLS));
    const bytes = Buffer.from(TEXT_AND_TOOLS);
    for (let seed = 1; seed <= 20; seed++) {
      const t = translator();
      let out = '';
      let at = 0;
      while (at < bytes.length) {
        const size = 1 + ((seed * 7919 + at * 31) % 97);
        out += t.push(bytes.subarray(at, at + size));
        at += size;
      }
      const split = events(out);
      // Ids are random per translator: compare everything else.
      expect(JSON.stringify(split).replace(/(msg|fc)_[0-9a-f]+/g, 'ID')).toBe(JSON.stringify(whole).replace(/(msg|fc)_[0-9a-f]+/g, 'ID'));
    }
  });

  it('ends as incomplete when the model stopped for length', () => {
    const out = events(translator().push(chunk({ content: 'abc' }) + chunk({}, 'length') + 'data: [DONE]\n\n'));
    expect(out[out.length - 1]).toMatchObject({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } });
  });

  it('ends a failed stream with error and response.failed, never response.completed', () => {
    const t = translator();
    const begun = events(t.push(chunk({ content: 'half' })));
    const end = events(t.fail('stream_cut', 'upstream closed the stream'));
    expect(end.map((e) => e.type)).toEqual(['error', 'response.failed']);
    expect(end[0]).toMatchObject({ code: 'stream_cut', message: 'upstream closed the stream', param: null, sequence_number: begun.length });
    expect(end[1]).toMatchObject({ response: { status: 'failed', error: { code: 'server_error', message: 'upstream closed the stream' }, output: [{ status: 'incomplete', content: [{ text: 'half' }] }] } });
    expect(t.push(chunk({ content: 'more' }))).toBe('');
  });
});

describe('ResponsesWireStream', () => {
  class ScriptedStream implements WireStream {
    finished = false;
    started = false;
    usage: Usage | undefined = undefined;
    events = 0;
    constructor(private readonly script: (bytes: Buffer) => Wire) {}
    push(bytes: Buffer): Wire {
      return this.script(bytes);
    }
    end(): Wire {
      return '';
    }
  }

  it('translates the bytes due before a protocol error, so they still reach the client', () => {
    const failing = new ScriptedStream(() => {
      const error = new UpstreamProtocolError('bad chunk', 'malformed_chunk');
      error.wireBefore = chunk({ content: 'before' });
      throw error;
    });
    const wire = new ResponsesWireStream(failing, translator());
    let thrown: unknown;
    try {
      wire.push(Buffer.from('x'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpstreamProtocolError);
    const before = events(String((thrown as UpstreamProtocolError).wireBefore));
    expect(before.map((e) => e.type)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added', 'response.output_text.delta']);
  });
});
