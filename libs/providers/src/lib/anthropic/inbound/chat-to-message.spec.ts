import { chatCompletionToMessage } from './chat-to-message';

const completion = (message: Record<string, unknown>, finish_reason = 'stop') =>
  JSON.stringify({ id: 'chatcmpl-abc', object: 'chat.completion', created: 1, model: 'gpt-x', choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason }] });

describe('chatCompletionToMessage', () => {
  it('writes text and tool calls as blocks, with stop reason and usage', () => {
    const json = chatCompletionToMessage(
      completion({ content: 'Checking.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tehran"}' } }] }, 'tool_calls'),
      { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
      'fallback-model',
    );
    expect(JSON.parse(json)).toEqual({
      id: 'msg_abc',
      type: 'message',
      role: 'assistant',
      model: 'gpt-x',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Tehran' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 7, output_tokens: 3 },
    });
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['content_filter', 'refusal'],
    [null, 'end_turn'],
  ])('maps finish reason %s to %s', (finish, stop) => {
    expect(JSON.parse(chatCompletionToMessage(completion({ content: 'x' }, finish as string), undefined, 'm')).stop_reason).toBe(stop);
  });

  it('keeps arguments that are not a JSON object under _raw, and an empty answer as one empty text block', () => {
    const truncated = JSON.parse(chatCompletionToMessage(completion({ content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":' } }] }), undefined, 'm'));
    expect(truncated.content).toEqual([{ type: 'tool_use', id: 'c', name: 'f', input: { _raw: '{"a":' } }]);
    const empty = JSON.parse(chatCompletionToMessage(completion({ content: '' }), undefined, 'm'));
    expect(empty.content).toEqual([{ type: 'text', text: '' }]);
    expect(empty.usage).toEqual({ input_tokens: 0, output_tokens: 0 });
  });

  it('refuses an answer without a message', () => {
    expect(() => chatCompletionToMessage('{"choices":[]}', undefined, 'm')).toThrow(/no message/);
  });
});
