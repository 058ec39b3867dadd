import type { ChatCompletion } from '../openai-types';
import { decodeOllamaCompletion, ollamaErrorMessage } from './ollama-response';
import { protocolFailure } from '../testing/protocol-failure';

const target = { baseUrl: 'http://localhost:11434', model: 'qwen2.5:14b' };

function decode(answer: Record<string, unknown>): { completion: ChatCompletion; usage: ReturnType<typeof decodeOllamaCompletion>['usage'] } {
  const decoded = decodeOllamaCompletion(JSON.stringify(answer), target);
  return { completion: JSON.parse(decoded.json) as ChatCompletion, usage: decoded.usage };
}

const base = { model: 'qwen2.5:14b-instruct', created_at: '2024-07-22T20:33:28.123648Z', done: true, done_reason: 'stop', prompt_eval_count: 26, eval_count: 298 };

const reasonOf = (run: () => unknown): string => protocolFailure(run).reason;

describe('decodeOllamaCompletion', () => {
  it('turns a text answer into an OpenAI chat.completion with usage', () => {
    const { completion, usage } = decode({ ...base, message: { role: 'assistant', content: 'Hello there' } });
    expect(completion).toEqual({
      id: expect.stringMatching(/^chatcmpl-[0-9a-f]{32}$/),
      object: 'chat.completion',
      created: Math.floor(Date.parse('2024-07-22T20:33:28Z') / 1000),
      model: 'qwen2.5:14b-instruct',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 26, completion_tokens: 298, total_tokens: 324 },
    });
    expect(usage).toEqual({ prompt_tokens: 26, completion_tokens: 298, total_tokens: 324 });
  });

  it('gives every answer its own id', () => {
    const body = { ...base, message: { role: 'assistant', content: 'x' } };
    expect(decode(body).completion.id).not.toBe(decode(body).completion.id);
  });

  it('maps done_reason length to finish_reason length', () => {
    expect(decode({ ...base, done_reason: 'length', message: { role: 'assistant', content: 'cut' } }).completion.choices[0]?.finish_reason).toBe('length');
    expect(decode({ ...base, done_reason: 'unload', message: { role: 'assistant', content: 'x' } }).completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('turns tool calls into OpenAI tool calls with ids, JSON-text arguments, null content and finish_reason tool_calls', () => {
    const { completion } = decode({
      ...base,
      message: {
        role: 'assistant',
        content: '',
        tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris', days: 2 } } }, { function: { name: 'get_time', arguments: {} } }],
      },
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      { id: expect.stringMatching(/^call_[0-9a-f]{24}$/), type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","days":2}' } },
      { id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
    expect(choice?.message.tool_calls?.[0]?.id).not.toBe(choice?.message.tool_calls?.[1]?.id);
  });

  it('keeps text that came with tool calls', () => {
    const { completion } = decode({ ...base, message: { role: 'assistant', content: 'Checking.', tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] } });
    expect(completion.choices[0]?.message.content).toBe('Checking.');
  });

  it('falls back to the target model, now, and no usage when Ollama leaves them out', () => {
    const before = Math.floor(Date.now() / 1000);
    const { completion, usage } = decode({ message: { role: 'assistant', content: 'x' }, done: true });
    expect(completion.model).toBe('qwen2.5:14b');
    expect(completion.created).toBeGreaterThanOrEqual(before);
    expect(completion.created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(completion).not.toHaveProperty('usage');
    expect(usage).toBeUndefined();
  });

  it('counts a prompt served from cache (no prompt_eval_count) as 0 prompt tokens', () => {
    expect(decode({ message: { role: 'assistant', content: 'x' }, eval_count: 5 }).usage).toEqual({ prompt_tokens: 0, completion_tokens: 5, total_tokens: 5 });
  });

  it.each([
    ['not JSON', 'Internal Server Error'],
    ['JSON without message', '{"model":"m","done":true}'],
    ['a message that is not an object', '{"message":"hi"}'],
    ['an array', '[]'],
    ['an empty body', ''],
  ])('rejects %s as malformed_response', (_label, body) => {
    expect(reasonOf(() => decodeOllamaCompletion(body, target))).toBe('malformed_response');
  });
});

describe('ollamaErrorMessage', () => {
  it('reads Ollama\'s {"error": "..."}', () => {
    expect(ollamaErrorMessage(404, '{"error":"model \\"llama9\\" not found, try pulling it first"}')).toBe('model "llama9" not found, try pulling it first');
  });

  it("reads an OpenAI-style error from a proxy in front of Ollama", () => {
    expect(ollamaErrorMessage(401, '{"error":{"message":"bad key"}}')).toBe('bad key');
  });

  it('falls back to an excerpt of the body, then to the status', () => {
    expect(ollamaErrorMessage(502, '<html>\n  Bad   gateway</html>')).toBe('<html> Bad gateway</html>');
    expect(ollamaErrorMessage(503, '  ')).toBe('HTTP 503');
  });
});
