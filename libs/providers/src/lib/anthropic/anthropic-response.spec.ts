import type { UpstreamTarget } from '../contract';
import { UpstreamProtocolError } from '../errors';
import type { ChatCompletion } from '../openai-types';
import { anthropicErrorMessage, decodeAnthropicCompletion } from './anthropic-response';

const target: UpstreamTarget = { baseUrl: 'https://api.anthropic.com', model: 'claude-deployment' };

function message(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'msg_01',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content: [{ type: 'text', text: 'Hello' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 3 },
    ...overrides,
  });
}

function decode(body: string): { completion: ChatCompletion; usage: unknown } {
  const decoded = decodeAnthropicCompletion(body, target);
  return { completion: JSON.parse(decoded.json) as ChatCompletion, usage: decoded.usage };
}

describe('decodeAnthropicCompletion', () => {
  it('rewrites a text message as an OpenAI chat.completion', () => {
    const before = Math.floor(Date.now() / 1000);
    const { completion, usage } = decode(message());
    expect(completion).toEqual({
      id: 'chatcmpl-msg_01',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'claude-sonnet-4-5-20250929',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
    });
    expect(completion.created).toBeGreaterThanOrEqual(before);
    expect(completion.created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(usage).toEqual({ prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 });
  });

  it('joins text blocks, turns tool_use blocks into tool_calls and skips thinking', () => {
    const { completion } = decode(
      message({
        content: [
          { type: 'thinking', thinking: 'hmm', signature: 'sig' },
          { type: 'text', text: 'Checking ' },
          { type: 'text', text: 'now.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris', units: ['c'] } },
          { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} },
        ],
        stop_reason: 'tool_use',
      }),
    );
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: 'Checking now.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris","units":["c"]}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'now', arguments: '{}' } },
        ],
      },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
  });

  it('gives null content when there is no text block', () => {
    const { completion } = decode(message({ content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] }));
    expect(completion.choices[0]?.message.content).toBeNull();
    expect(decode(message({ content: [] })).completion.choices[0]?.message).toEqual({ role: 'assistant', content: null });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['pause_turn', 'stop'],
    [null, 'stop'],
  ])('maps stop_reason %s to finish_reason %s', (stopReason, finish) => {
    expect(decode(message({ stop_reason: stopReason })).completion.choices[0]?.finish_reason).toBe(finish);
  });

  it('counts prompt-cache reads and writes as prompt tokens', () => {
    const { usage } = decode(message({ usage: { input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 7 } }));
    expect(usage).toEqual({ prompt_tokens: 125, completion_tokens: 7, total_tokens: 132 });
  });

  it('falls back to the deployment model and omits usage when the message lacks them', () => {
    const { completion, usage } = decode(message({ model: undefined, usage: undefined }));
    expect(completion.model).toBe('claude-deployment');
    expect(completion).not.toHaveProperty('usage');
    expect(usage).toBeUndefined();
  });

  it.each([
    ['non-JSON', 'upstream is down'],
    ['an empty body', ''],
    ['a JSON array', '[]'],
    ['a message without content', JSON.stringify({ id: 'msg', type: 'message' })],
    ['an error body', JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })],
    ['an OpenAI completion', JSON.stringify({ id: 'x', object: 'chat.completion', choices: [] })],
    ['a tool_use block without id', message({ content: [{ type: 'tool_use', name: 'f', input: {} }] })],
  ])('rejects %s as malformed_response', (_label, body) => {
    let caught: unknown;
    try {
      decodeAnthropicCompletion(body, target);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UpstreamProtocolError);
    expect((caught as UpstreamProtocolError).reason).toBe('malformed_response');
  });
});

describe('anthropicErrorMessage', () => {
  it("returns Anthropic's own error message", () => {
    expect(anthropicErrorMessage(529, JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }))).toBe('Overloaded');
  });

  it('falls back to a top-level message, then an excerpt, then the status', () => {
    expect(anthropicErrorMessage(400, JSON.stringify({ message: 'bad thing' }))).toBe('bad thing');
    expect(anthropicErrorMessage(502, '<html>\n  Bad   gateway\n</html>')).toBe('<html> Bad gateway </html>');
    expect(anthropicErrorMessage(502, 'x'.repeat(500))).toHaveLength(201);
    expect(anthropicErrorMessage(503, '  ')).toBe('HTTP 503');
  });
});
