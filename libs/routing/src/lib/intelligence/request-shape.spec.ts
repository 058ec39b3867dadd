import { estimatePromptTokens, measureRequest } from './request-shape';

describe('the prompt estimate (one for routing, limits and usage)', () => {
  it('counts about a token per four characters of text, plus the chat format per message', () => {
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: 'x'.repeat(160) }] })).toBe(40 + 4);
    expect(estimatePromptTokens({ messages: [{ role: 'system', content: 'abcd' }, { role: 'user', content: [{ type: 'text', text: 'efgh' }] }] })).toBe(2 + 8);
  });

  it('counts tool-call arguments, a flat amount per image whatever its base64 size, and each tool offered', () => {
    const call = { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1234567}' } }] };
    expect(estimatePromptTokens({ messages: [call] })).toBe(4 + 4);
    const image = { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(100_000)}` } }] };
    expect(estimatePromptTokens({ messages: [image] })).toBe(765 + 4);
    const tools = [{ type: 'function', function: { name: 'weather', description: 'Current weather' } }];
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: 'hi' }], tools })).toBe(1 + 4 + Math.ceil(22 / 4) + 60);
  });

  it('is 0 or small for bodies of any other shape, and never throws (the limiter runs it before validation)', () => {
    for (const body of [undefined, null, 'x', 42, [], {}, { messages: 'x' }, { messages: [null, 1, 'a', [], { content: 7 }, { content: [null, 1, 'a'] }, { tool_calls: [null, { function: null }] }] }, { messages: [], tools: [null, 1] }]) {
      expect(estimatePromptTokens(body)).toBeGreaterThanOrEqual(0);
    }
  });

  it('reads max_tokens, code fences, tools, JSON output and reasoning cues in the same pass', () => {
    const shape = measureRequest({
      messages: [{ role: 'user', content: 'Explain why this is slow, step by step:\n```ts\nfor (;;) {}\n```' }],
      max_completion_tokens: 300,
      response_format: { type: 'json_object' },
    });
    expect(shape).toMatchObject({ maxTokens: 300, codeBlocks: 1, usesTools: false, structuredOutput: true, reasoningCues: 2, messageCount: 1 });
  });
});
