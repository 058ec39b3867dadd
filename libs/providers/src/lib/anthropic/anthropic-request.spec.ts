import type { UpstreamTarget } from '../contract';
import type { ChatMessage, ChatRequest } from '../openai-types';
import { UntranslatableRequestError } from '../errors';
import { buildAnthropicRequest } from './anthropic-request';

const target: UpstreamTarget = { baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-test', model: 'claude-sonnet-4-5' };

function build(request: Partial<ChatRequest>, stream = false, to: UpstreamTarget = target) {
  const upstream = buildAnthropicRequest({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }], ...request }, to, stream);
  return { ...upstream, json: JSON.parse(upstream.body) as Record<string, unknown> };
}

function messagesOf(messages: ChatMessage[]): unknown {
  return build({ messages }).json['messages'];
}

describe('buildAnthropicRequest: envelope', () => {
  it('posts to /v1/messages with the version header and the key as x-api-key', () => {
    const { path, headers } = build({});
    expect(path).toBe('/v1/messages');
    expect(headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-test' });
  });

  it('asks for an event stream when streaming, and sends no key when the target has none', () => {
    const { headers, json } = build({}, true, { baseUrl: 'http://localhost:8080', model: 'claude' });
    expect(headers['accept']).toBe('text/event-stream');
    expect(headers).not.toHaveProperty('x-api-key');
    expect(headers).not.toHaveProperty('authorization');
    expect(json['stream']).toBe(true);
    expect(build({}, false).json['stream']).toBe(false);
  });

  it('uses the deployment model, not the client one', () => {
    expect(build({ model: 'anything' }).json['model']).toBe('claude-sonnet-4-5');
  });

  it('always sends max_tokens: max_completion_tokens, then max_tokens, then 4096', () => {
    expect(build({ max_completion_tokens: 100, max_tokens: 200 }).json['max_tokens']).toBe(100);
    expect(build({ max_tokens: 200 }).json['max_tokens']).toBe(200);
    expect(build({}).json['max_tokens']).toBe(4096);
  });

  it('passes temperature and top_p, maps stop to stop_sequences and user to metadata.user_id', () => {
    const { json } = build({ temperature: 0.2, top_p: 0.9, stop: 'END', user: 'u-42' });
    expect(json).toMatchObject({ temperature: 0.2, top_p: 0.9, stop_sequences: ['END'], metadata: { user_id: 'u-42' } });
    expect(build({ stop: ['a', 'b'] }).json['stop_sequences']).toEqual(['a', 'b']);
    expect(build({ temperature: 0 }).json['temperature']).toBe(0);
  });

  it('drops OpenAI-only parameters and omits absent optional ones', () => {
    const { json } = build({ n: 2, seed: 7, response_format: { type: 'json_object' }, stream_options: { include_usage: true }, frequency_penalty: 1, logprobs: true });
    expect(Object.keys(json).sort()).toEqual(['max_tokens', 'messages', 'model', 'stream']);
  });
});

describe('buildAnthropicRequest: system prompt', () => {
  it('moves system and developer messages to a top-level system string joined by blank lines', () => {
    const { json } = build({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in ' }, { type: 'text', text: 'French.' }] },
        { role: 'user', content: 'hi' },
        { role: 'system', content: 'Late rule.' },
      ],
    });
    expect(json['system']).toBe('Be brief.\n\nAnswer in French.\n\nLate rule.');
    expect(json['messages']).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('sends no system field when there is no system text', () => {
    expect(build({ messages: [{ role: 'system', content: '' }, { role: 'user', content: 'hi' }] }).json).not.toHaveProperty('system');
  });
});

describe('buildAnthropicRequest: user content', () => {
  it('keeps string content a string and maps text parts to text blocks', () => {
    expect(messagesOf([{ role: 'user', content: 'plain' }])).toEqual([{ role: 'user', content: 'plain' }]);
    expect(messagesOf([{ role: 'user', content: [{ type: 'text', text: 'part' }] }])).toEqual([{ role: 'user', content: [{ type: 'text', text: 'part' }] }]);
  });

  it('splits a base64 data URL into media type and data, and sends http(s) URLs as url sources', () => {
    expect(
      messagesOf([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          ],
        },
      ]),
    ).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('base64-encodes a percent-encoded data URL, since Anthropic only takes base64', () => {
    const [message] = messagesOf([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/svg+xml,%3Csvg%2F%3E' } }] }]) as Array<{ content: unknown }>;
    expect(message?.content).toEqual([{ type: 'image', source: { type: 'base64', media_type: 'image/svg+xml', data: Buffer.from('<svg/>').toString('base64') } }]);
  });
});

describe('buildAnthropicRequest: tool round trip', () => {
  const conversation: ChatMessage[] = [
    { role: 'user', content: 'Weather in Paris and Rome?' },
    {
      role: 'assistant',
      content: 'Let me check.',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
    { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '24' }, { type: 'text', text: '°C' }] },
    { role: 'user', content: 'Thanks, and tomorrow?' },
  ];

  it('turns tool calls into tool_use blocks and merges the results and the next user turn into one user message', () => {
    expect(messagesOf(conversation)).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: '24°C' },
          { type: 'text', text: 'Thanks, and tomorrow?' },
        ],
      },
    ]);
  });

  it('sends no text block for an assistant tool call without text', () => {
    for (const content of [null, '']) {
      const [assistant] = messagesOf([{ role: 'assistant', content, tool_calls: [{ id: 'c', type: 'function', function: { name: 'now', arguments: '{}' } }] }]) as Array<{ content: unknown }>;
      expect(assistant?.content).toEqual([{ type: 'tool_use', id: 'c', name: 'now', input: {} }]);
    }
  });

  it('keeps unparsable or non-object arguments under _raw, and empty arguments as {}', () => {
    const calls = [
      { id: 'a', type: 'function' as const, function: { name: 'f', arguments: '{"city":"Par' } },
      { id: 'b', type: 'function' as const, function: { name: 'f', arguments: '[1,2]' } },
      { id: 'c', type: 'function' as const, function: { name: 'f', arguments: '' } },
    ];
    const [assistant] = messagesOf([{ role: 'assistant', content: null, tool_calls: calls }]) as Array<{ content: Array<{ input: unknown }> }>;
    expect(assistant?.content.map((block) => block.input)).toEqual([{ _raw: '{"city":"Par' }, { _raw: '[1,2]' }, {}]);
  });

  it('merges consecutive same-role messages so turns alternate, without inventing empty blocks', () => {
    expect(
      messagesOf([
        { role: 'user', content: 'one' },
        { role: 'user', content: '' },
        { role: 'user', content: [{ type: 'text', text: 'two' }] },
        { role: 'assistant', content: 'a' },
        { role: 'assistant', content: 'b' },
      ]),
    ).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
    ]);
  });

  it('lets a conversation that starts with the assistant through unchanged', () => {
    expect(messagesOf([{ role: 'assistant', content: 'Hello!' }, { role: 'user', content: 'hi' }])).toEqual([
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'hi' },
    ]);
  });
});

describe('buildAnthropicRequest: tools', () => {
  const tools: ChatRequest['tools'] = [
    { type: 'function', function: { name: 'weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    { type: 'function', function: { name: 'now' } },
  ];

  it('maps definitions to name, description and input_schema, defaulting to an empty object schema', () => {
    expect(build({ tools }).json['tools']).toEqual([
      { name: 'weather', description: 'Current weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['required', { type: 'any' }],
    ['none', { type: 'none' }],
    [{ type: 'function', function: { name: 'weather' } }, { type: 'tool', name: 'weather' }],
  ] as const)('maps tool_choice %j to %j', (choice, expected) => {
    expect(build({ tools, tool_choice: choice }).json['tool_choice']).toEqual(expected);
  });

  it('a forced function choice without a name is the caller\'s error, not a TypeError', () => {
    for (const choice of [{ type: 'function' }, { type: 'function', function: {} }, { type: 'function', function: 'weather' }]) {
      expect(() => build({ tools, tool_choice: choice as never })).toThrow(UntranslatableRequestError);
    }
  });

  it('sends no tool_choice when the client sent none', () => {
    expect(build({ tools }).json).not.toHaveProperty('tool_choice');
  });

  it('adds disable_parallel_tool_use when parallel_tool_calls is false', () => {
    expect(build({ tools, parallel_tool_calls: false }).json['tool_choice']).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(build({ tools, tool_choice: 'required', parallel_tool_calls: false }).json['tool_choice']).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(build({ tools, tool_choice: { type: 'function', function: { name: 'now' } }, parallel_tool_calls: false }).json['tool_choice']).toEqual({ type: 'tool', name: 'now', disable_parallel_tool_use: true });
    expect(build({ tools, tool_choice: 'none', parallel_tool_calls: false }).json['tool_choice']).toEqual({ type: 'none' });
    expect(build({ tools, parallel_tool_calls: true }).json).not.toHaveProperty('tool_choice');
  });

  it('sends neither tools nor tool_choice without tool definitions (Anthropic rejects a lone tool_choice)', () => {
    const { json } = build({ tools: [], tool_choice: 'required', parallel_tool_calls: false });
    expect(json).not.toHaveProperty('tools');
    expect(json).not.toHaveProperty('tool_choice');
  });
});
