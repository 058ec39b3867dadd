import { estimatePromptTokens } from './prompt-estimate';

describe('estimatePromptTokens', () => {
  it('counts about a token per four characters of text, plus the chat format per message', () => {
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: 'x'.repeat(160) }] })).toBe(4 + 40);
    expect(estimatePromptTokens({ messages: [{ role: 'system', content: 'abcd' }, { role: 'user', content: [{ type: 'text', text: 'efgh' }] }] })).toBe(8 + 2);
  });

  it('counts tool-call arguments and a flat amount per image, whatever its base64 size', () => {
    const call = { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1234567}' } }] };
    expect(estimatePromptTokens({ messages: [call] })).toBe(4 + 4);
    const image = { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(100_000)}` } }] };
    expect(estimatePromptTokens({ messages: [image] })).toBe(4 + 500);
  });

  it('is 0 or small for bodies of any other shape, and never throws', () => {
    for (const body of [undefined, null, 'x', 42, [], {}, { messages: 'x' }, { messages: [null, 1, 'a', [], { content: 7 }, { content: [null, 1, 'a'] }, { tool_calls: [null, { function: null }] }] }]) {
      expect(estimatePromptTokens(body)).toBeGreaterThanOrEqual(0);
    }
  });
});
