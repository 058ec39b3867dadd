import { UpstreamProtocolError } from '@orcest/providers';
import { parseResponsesRequest } from './responses-request';
import { assistantMessageOf, completeFromChat, isIssuedId, newId, outputChars, responseSkeleton } from './response-object';
import { ResponsesDialect } from './responses-dialect';

const parsed = parseResponsesRequest({ model: 'rainymodel/auto', input: 'x', instructions: 'Be brief.', max_output_tokens: 50, metadata: { a: 'b' } });

function completion(message: Record<string, unknown>, finish = 'stop'): string {
  return JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'gpt-test', choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } });
}

describe('issued ids', () => {
  it('knows the shape of what newId issues, and nothing else', () => {
    expect(isIssuedId('resp', newId('resp'))).toBe(true);
    expect(isIssuedId('resp', newId('msg'))).toBe(false);
    for (const id of ['resp_x', `resp_${'0'.repeat(47)}\u0000`, `resp_${'A'.repeat(48)}`, `resp_${'0'.repeat(49)}`, `resp-${'0'.repeat(48)}`]) expect(isIssuedId('resp', id)).toBe(false);
  });
});

describe('the response object', () => {
  it('echoes the request in its skeleton', () => {
    const r = responseSkeleton(parsed, 'resp_x', 10, true);
    expect(r).toMatchObject({ id: 'resp_x', object: 'response', created_at: 10, status: 'in_progress', instructions: 'Be brief.', max_output_tokens: 50, store: true, metadata: { a: 'b' }, output: [], usage: null, error: null });
  });

  it('is completed from a chat answer with text and tool calls', () => {
    const r = responseSkeleton(parsed, 'resp_x', 10, false);
    completeFromChat(r, completion({ content: 'Sure.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, 'tool_calls'), 11);
    expect(r).toMatchObject({
      status: 'completed',
      completed_at: 11,
      model: 'gpt-test',
      output: [
        { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Sure.', annotations: [] }] },
        { type: 'function_call', status: 'completed', call_id: 'call_1', name: 'f', arguments: '{"a":1}' },
      ],
      usage: { input_tokens: 5, output_tokens: 2, total_tokens: 7, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
    });
    expect(r.output[0].id).toMatch(/^msg_[0-9a-f]{48}$/);
    expect(r.output[1].id).toMatch(/^fc_[0-9a-f]{48}$/);
    expect(assistantMessageOf(r.output)).toEqual({ role: 'assistant', content: 'Sure.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] });
  });

  it('is incomplete when the answer was cut for length', () => {
    const r = responseSkeleton(parsed, 'resp_x', 10, false);
    completeFromChat(r, completion({ content: 'Su' }, 'length'), 11);
    expect(r).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ status: 'incomplete' }] });
    expect(assistantMessageOf(r.output)).toEqual({ role: 'assistant', content: 'Su' });
  });

  it('refuses an answer without a message (the upstream is at fault: another may do better)', () => {
    expect(() => completeFromChat(responseSkeleton(parsed, 'r', 1, false), '{"choices":[]}', 2)).toThrow(UpstreamProtocolError);
    expect(() => completeFromChat(responseSkeleton(parsed, 'r', 1, false), 'not json', 2)).toThrow(UpstreamProtocolError);
  });

  it('counts its generated characters, read back from its JSON: text and function-call arguments (the usage estimate)', () => {
    const r = responseSkeleton(parsed, 'resp_x', 10, false);
    completeFromChat(r, completion({ content: 'Sure.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, 'tool_calls'), 11);
    const answer: unknown = JSON.parse(JSON.stringify(r));
    expect(outputChars(answer)).toBe('Sure.'.length + '{"a":1}'.length);
    expect(new ResponsesDialect(parsed, { model: 'm', messages: [] }, [], undefined).completionChars(answer)).toBe(12);
    // Another protocol's answer is not a response: nothing counted.
    expect(outputChars({ choices: [{ message: { content: 'abcd' } }] })).toBe(0);
  });

  it('makes unguessable ids', () => {
    expect(newId('resp')).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(newId('resp')).not.toBe(newId('resp'));
  });
});
