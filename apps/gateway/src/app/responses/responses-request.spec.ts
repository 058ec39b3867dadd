import { InvalidRequestError } from '../errors';
import { parseResponsesRequest, toChatRequest } from './responses-request';

function refused(body: unknown): InvalidRequestError {
  try {
    parseResponsesRequest(body);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error('expected a 400');
}

describe('parseResponsesRequest', () => {
  it('takes a string input as one user message, with the defaults OpenAI documents', () => {
    const parsed = parseResponsesRequest({ model: 'rainymodel/auto', input: 'Hi' });
    expect(parsed.input).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(parsed).toMatchObject({ stream: false, store: true, previousResponseId: null, toolChoice: 'auto', parallelToolCalls: true, textFormat: { type: 'text' } });
  });

  it('maps messages, function calls and their outputs onto chat messages', () => {
    const parsed = parseResponsesRequest({
      model: 'm',
      input: [
        { role: 'developer', content: 'Be terse.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather ' }, { type: 'input_text', text: 'in Tehran?' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Tehran"}' },
        { type: 'function_call', call_id: 'call_2', name: 'get_time', arguments: '{}' },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { type: 'function_call_output', call_id: 'call_1', output: '21°C' },
        { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: '12:00' }] },
      ],
    });
    expect(parsed.input).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Weather in Tehran?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tehran"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '21°C' },
      { role: 'tool', tool_call_id: 'call_2', content: '12:00' },
    ]);
  });

  it('opens an assistant message for a function call that follows no assistant text', () => {
    const parsed = parseResponsesRequest({ model: 'm', input: [{ role: 'user', content: 'x' }, { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }] });
    expect(parsed.input[1]).toEqual({ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] });
  });

  it('keeps images of user messages as image_url parts', () => {
    const parsed = parseResponsesRequest({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_text', text: 'What is it?' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' }] }] });
    expect(parsed.input[0].content).toEqual([
      { type: 'text', text: 'What is it?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
    ]);
  });

  it('keeps function tools and names the hosted ones it drops', () => {
    const parsed = parseResponsesRequest({
      model: 'm',
      input: 'x',
      tools: [{ type: 'web_search' }, { type: 'function', name: 'f', parameters: { type: 'object' }, strict: true }, { type: 'web_search' }],
    });
    expect(parsed.tools).toEqual([{ type: 'function', name: 'f', description: null, parameters: { type: 'object' }, strict: true }]);
    expect(parsed.droppedTools).toEqual(['web_search']);
  });

  it.each([
    [[], 'The request body must be a JSON object.', null],
    [{ input: 'x' }, "Missing required parameter: 'model'.", 'model'],
    [{ model: 'm' }, "Missing required parameter: 'input'.", 'input'],
    [{ model: 'm', input: 42 }, "'input' must be a string or an array of input items", 'input'],
    [{ model: 'm', input: [] }, "'input' must contain at least one item", 'input'],
    [{ model: 'm', input: ['x'] }, "'input[0]' must be an object", 'input[0]'],
    [{ model: 'm', input: [{ role: 'robot', content: 'x' }] }, "'input[0].role' must be one of user, assistant, system, developer", 'input[0].role'],
    [{ model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, "'input[0].call_id' must be a string", 'input[0].call_id'],
    [{ model: 'm', input: [{ type: 'item_reference', id: 'x' }] }, expect.stringContaining("'item_reference' is not supported"), 'input[0].type'],
    [{ model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] }, "'input[0].content[0].type' must be input_text, output_text or input_image", 'input[0].content[0].type'],
    [{ model: 'm', input: 'x', tools: [{ type: 'function' }] }, "'tools[0].name' is required", 'tools[0].name'],
    [{ model: 'm', input: 'x', tool_choice: { type: 'function' } }, "'tool_choice.name' is required when tool_choice.type is function", 'tool_choice.name'],
    [{ model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'x' } } }, "'text.format.schema' must be an object (a JSON Schema)", 'text.format.schema'],
    [{ model: 'm', input: 'x', max_output_tokens: 0 }, "'max_output_tokens' must be an integer ≥ 1", 'max_output_tokens'],
    [{ model: 'm', input: 'x', stream: 'yes' }, "'stream' must be a boolean", 'stream'],
    [{ model: 'm', input: 'x', background: true }, "'background' is not supported by this gateway", 'background'],
  ])('refuses %j', (body, message, param) => {
    const error = refused(body);
    expect(error.message).toEqual(message);
    expect(error.param).toBe(param);
  });
});

describe('toChatRequest', () => {
  it('puts the instructions first, then the stored conversation, then the new input', () => {
    const parsed = parseResponsesRequest({ model: 'm', instructions: 'Be kind.', input: 'And then?' });
    const history = [
      { role: 'user' as const, content: 'Once upon a time' },
      { role: 'assistant' as const, content: 'there was a gateway.' },
    ];
    const { chat, conversation } = toChatRequest(parsed, history);
    expect(chat.messages).toEqual([{ role: 'system', content: 'Be kind.' }, ...history, { role: 'user', content: 'And then?' }]);
    expect(conversation).toEqual([...history, { role: 'user', content: 'And then?' }]);
  });

  it('translates tools, tool_choice, text.format and max_output_tokens', () => {
    const parsed = parseResponsesRequest({
      model: 'm',
      input: 'x',
      stream: true,
      tools: [{ type: 'function', name: 'f', description: 'does f', parameters: { type: 'object', properties: {} } }],
      tool_choice: { type: 'function', name: 'f' },
      parallel_tool_calls: false,
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
      max_output_tokens: 64,
      temperature: 0.2,
    });
    const { chat } = toChatRequest(parsed, []);
    expect(chat).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: { name: 'f', description: 'does f', parameters: { type: 'object', properties: {} } } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      max_tokens: 64,
      temperature: 0.2,
    });
  });

  it('refuses a required tool choice without tools', () => {
    expect(() => toChatRequest(parseResponsesRequest({ model: 'm', input: 'x', tool_choice: 'required' }), [])).toThrow(InvalidRequestError);
  });
});
