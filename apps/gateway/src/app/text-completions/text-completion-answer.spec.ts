import { openAiChatDialect } from '../completions/openai-chat-dialect';
import { estimateCompletionUsage } from '../usage/usage-estimate';
import { textCompletionFromChat } from './text-completion-answer';
import { textCompletionDialect } from './text-completion-dialect';

describe('a whole chat answer as a text completion', () => {
  const chat = JSON.stringify({
    id: 'chatcmpl-9',
    object: 'chat.completion',
    created: 7,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'twelve chars' }, finish_reason: 'length' }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  });

  it('moves the message into choices[].text and keeps id, model, finish reason and usage', () => {
    expect(JSON.parse(textCompletionFromChat(chat))).toEqual({
      id: 'cmpl-9',
      object: 'text_completion',
      created: 7,
      model: 'm',
      choices: [{ text: 'twelve chars', index: 0, logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
  });

  it('is estimated like the chat answer when the upstream reported no usage', () => {
    expect(estimateCompletionUsage(4, textCompletionFromChat(chat), textCompletionDialect)).toEqual(estimateCompletionUsage(4, chat, openAiChatDialect));
    expect(estimateCompletionUsage(4, textCompletionFromChat(chat), textCompletionDialect).completion_tokens).toBe(3);
  });

  it('counts only choices[].text of its own shape', () => {
    expect(textCompletionDialect.completionChars({ choices: [{ text: 'abc' }, { text: 'de' }, { text: null }] })).toBe(5);
    expect(textCompletionDialect.completionChars({ choices: [{ message: { content: 'abcd' } }] })).toBe(0);
  });
});
