import { openAiChatDialect } from './openai-chat-dialect';

describe('OpenAI chat dialect: generated characters of a whole answer (the usage estimate)', () => {
  it('counts every choice\'s content and tool-call arguments', () => {
    const answer = {
      object: 'chat.completion',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'abcd', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] } },
        { index: 1, message: { role: 'assistant', content: null } },
        { index: 2, message: { role: 'assistant', content: 'xyz' } },
      ],
    };
    expect(openAiChatDialect.completionChars(answer)).toBe(4 + 7 + 3);
  });

  it('counts nothing of another protocol\'s shape, and nothing of an answer without choices', () => {
    expect(openAiChatDialect.completionChars({ content: [{ type: 'text', text: 'abcd' }] })).toBe(0);
    expect(openAiChatDialect.completionChars({ choices: [{ text: 'abcd' }] })).toBe(0);
    expect(openAiChatDialect.completionChars({})).toBe(0);
  });
});
