import type { UpstreamTarget } from '../contract';
import type { ChatRequest } from '../openai-types';
import { buildOllamaRequest } from './ollama-request';

const target: UpstreamTarget = { baseUrl: 'http://localhost:11434', model: 'qwen2.5:14b' };

function body(request: Partial<ChatRequest>, stream = false, to: UpstreamTarget = target): Record<string, unknown> {
  const built = buildOllamaRequest({ model: 'ollama/qwen2.5:14b', messages: [{ role: 'user', content: 'hi' }], ...request }, to, stream);
  return JSON.parse(built.body) as Record<string, unknown>;
}

describe('buildOllamaRequest', () => {
  it('posts JSON to /api/chat with the deployment model and the stream flag', () => {
    const built = buildOllamaRequest({ model: 'ollama/qwen2.5:14b', messages: [{ role: 'user', content: 'hi' }] }, target, true);
    expect(built.path).toBe('/api/chat');
    expect(built.headers['content-type']).toBe('application/json');
    expect(built.headers['authorization']).toBeUndefined();
    expect(JSON.parse(built.body)).toEqual({ model: 'qwen2.5:14b', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect(body({}, false)['stream']).toBe(false);
  });

  it('sends a bearer token when the target has an API key (Ollama behind an auth proxy)', () => {
    const built = buildOllamaRequest({ model: 'm', messages: [] }, { ...target, apiKey: 'sk-proxy' }, false);
    expect(built.headers['authorization']).toBe('Bearer sk-proxy');
  });

  it('keeps roles, turns developer into system and null content into ""', () => {
    const messages = body({
      messages: [
        { role: 'developer', content: 'be brief' },
        { role: 'system', content: 'sys' },
        { role: 'user', content: null },
        { role: 'assistant', content: 'ok' },
      ],
    })['messages'];
    expect(messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'system', content: 'sys' },
      { role: 'user', content: '' },
      { role: 'assistant', content: 'ok' },
    ]);
  });

  it('joins text parts and moves data: images into images as bare base64; remote images are dropped', () => {
    const messages = body({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            { type: 'text', text: 'in these pictures?' },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          ],
        },
      ],
    })['messages'];
    expect(messages).toEqual([{ role: 'user', content: 'What is\nin these pictures?', images: ['iVBORw0KGgo=', '/9j/4AAQ'] }]);
  });

  it('base64-encodes a percent-encoded data: URL and omits images when none are inline', () => {
    const messages = body({
      messages: [
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/svg+xml,%3Csvg%2F%3E' } }] },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://example.com/a.png' } }] },
      ],
    })['messages'] as Array<Record<string, unknown>>;
    expect(messages[0]).toEqual({ role: 'user', content: '', images: [Buffer.from('<svg/>').toString('base64')] });
    expect(messages[1]).toEqual({ role: 'user', content: '' });
  });

  it('maps a tool round trip: arguments become objects and the result is named after its call', () => {
    const messages = body({
      messages: [
        { role: 'user', content: 'weather in Paris and time in Tokyo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: 'not json' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_2', content: '09:00' },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: '18°C' }] },
        { role: 'tool', tool_call_id: 'call_unknown', content: '?' },
      ],
    })['messages'];
    expect(messages).toEqual([
      { role: 'user', content: 'weather in Paris and time in Tokyo?' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }, { function: { name: 'get_time', arguments: {} } }],
      },
      { role: 'tool', content: '09:00', tool_name: 'get_time' },
      { role: 'tool', content: '18°C', tool_name: 'get_weather' },
      { role: 'tool', content: '?' },
    ]);
  });

  it('treats JSON arguments that are not an object as {}', () => {
    const messages = body({
      messages: [{ role: 'assistant', content: '', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1,2]' } }] }],
    })['messages'] as Array<Record<string, unknown>>;
    expect(messages[0]['tool_calls']).toEqual([{ function: { name: 'f', arguments: {} } }]);
  });

  it('maps sampling parameters into options, max_completion_tokens winning over max_tokens', () => {
    expect(body({ temperature: 0.2, top_p: 0.9, seed: 7, stop: ['END', 'STOP'], max_tokens: 100, max_completion_tokens: 50 })['options']).toEqual({
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      stop: ['END', 'STOP'],
      num_predict: 50,
    });
    expect(body({ max_tokens: 100, stop: 'END', temperature: 0 })['options']).toEqual({ num_predict: 100, stop: ['END'], temperature: 0 });
    expect(body({ presence_penalty: 0.5, frequency_penalty: -0.5 })['options']).toEqual({ presence_penalty: 0.5, frequency_penalty: -0.5 });
  });

  it('omits options when nothing is set, including parameters sent as null', () => {
    expect(body({})).not.toHaveProperty('options');
    expect(body({ temperature: null, max_tokens: null, stop: null } as unknown as Partial<ChatRequest>)).not.toHaveProperty('options');
  });

  it('passes tools through in OpenAI form, and leaves them out for tool_choice none', () => {
    const tools: ChatRequest['tools'] = [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    expect(body({ tools })['tools']).toEqual(tools);
    expect(body({ tools, tool_choice: 'none' })).not.toHaveProperty('tools');
    expect(body({ tools: [] })).not.toHaveProperty('tools');
  });

  it('maps response_format to format', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    expect(body({ response_format: { type: 'json_object' } })['format']).toBe('json');
    expect(body({ response_format: { type: 'json_schema', json_schema: { name: 'a', schema } } })['format']).toEqual(schema);
    expect(body({ response_format: { type: 'json_schema', json_schema: { name: 'a' } } })['format']).toBe('json');
    expect(body({ response_format: { type: 'text' } })).not.toHaveProperty('format');
  });

  it('passes keep_alive through and drops OpenAI-only fields', () => {
    const sent = body({ keep_alive: '10m', user: 'u1', n: 1, stream_options: { include_usage: true } });
    expect(sent['keep_alive']).toBe('10m');
    expect(Object.keys(sent).sort()).toEqual(['keep_alive', 'messages', 'model', 'stream']);
  });
});
