import { anthropicMessagesDialect } from './anthropic-messages-dialect';

describe('Anthropic Messages dialect: generated characters of a whole answer (the usage estimate)', () => {
  it('counts text blocks, and tool_use inputs as JSON', () => {
    const message = {
      type: 'message',
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'not counted', signature: 's' },
        { type: 'text', text: 'abcd' },
        { type: 'tool_use', id: 't', name: 'f', input: { a: 1 } },
      ],
    };
    expect(anthropicMessagesDialect.completionChars(message)).toBe(4 + '{"a":1}'.length);
  });

  it('counts nothing of another protocol\'s shape', () => {
    expect(anthropicMessagesDialect.completionChars({ choices: [{ message: { content: 'abcd' } }] })).toBe(0);
    expect(anthropicMessagesDialect.completionChars({ content: 'not blocks' })).toBe(0);
  });
});
