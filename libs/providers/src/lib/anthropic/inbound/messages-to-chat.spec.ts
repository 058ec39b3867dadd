import { messagesToChat } from './messages-to-chat';
import type { MessagesRequest } from './messages-types';

const base = (extra: Partial<MessagesRequest> = {}): MessagesRequest => ({ model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('messagesToChat', () => {
  it('puts a string or block system prompt first, and keeps sampling parameters', () => {
    const { chat } = messagesToChat(base({ system: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }], temperature: 0.2, top_p: 0.9, top_k: 5, stop_sequences: ['END'], metadata: { user_id: 'u1' }, stream: true }));
    expect(chat.messages[0]).toEqual({ role: 'system', content: 'A\n\nB' });
    expect(chat).toMatchObject({ model: 'claude-x', max_tokens: 100, temperature: 0.2, top_p: 0.9, stop: ['END'], user: 'u1', stream: true });
    expect(chat).not.toHaveProperty('top_k');
    expect(messagesToChat(base({ system: 'plain' })).chat.messages[0]).toEqual({ role: 'system', content: 'plain' });
  });

  it('turns tool_use into tool_calls and tool_result into tool messages placed before the user\'s text', () => {
    const { chat } = messagesToChat(
      base({
        messages: [
          { role: 'user', content: 'weather?' },
          { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Tehran' } }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'and thanks' },
              { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'sunny' }] },
              { type: 'tool_result', tool_use_id: 'toolu_2', content: 'boom', is_error: true },
            ],
          },
        ],
      }),
    );
    expect(chat.messages).toEqual([
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tehran"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: boom' },
      { role: 'user', content: 'and thanks' },
    ]);
  });

  it('turns images into image_url parts (base64 as a data URL)', () => {
    const { chat } = messagesToChat(
      base({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
              { type: 'image', source: { type: 'url', url: 'https://example.test/cat.jpg' } },
              { type: 'text', text: 'what is this?' },
            ],
          },
        ],
      }),
    );
    expect(chat.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR' } },
        { type: 'image_url', image_url: { url: 'https://example.test/cat.jpg' } },
        { type: 'text', text: 'what is this?' },
      ],
    });
  });

  it('drops thinking (parameter and blocks) and says so', () => {
    expect(messagesToChat(base()).droppedThinking).toBe(false);
    expect(messagesToChat(base({ thinking: { type: 'enabled', budget_tokens: 1024 } })).droppedThinking).toBe(true);
    const withBlocks = messagesToChat(
      base({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 's' }, { type: 'text', text: 'a' }] }, { role: 'user', content: 'more' }] }),
    );
    expect(withBlocks.droppedThinking).toBe(true);
    expect(withBlocks.chat.messages[1]).toEqual({ role: 'assistant', content: 'a' });
    expect(JSON.stringify(withBlocks.chat)).not.toContain('hmm');
  });

  it('maps client tools and tool_choice; leaves Anthropic\'s server tools out', () => {
    const tools = [{ name: 'get_weather', description: 'w', input_schema: { type: 'object', properties: {} } }, { type: 'web_search_20250305', name: 'web_search' }];
    const translate = (tool_choice: MessagesRequest['tool_choice']) => messagesToChat(base({ tools, tool_choice })).chat;
    expect(translate(undefined).tools).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'w', parameters: { type: 'object', properties: {} } } }]);
    expect(translate({ type: 'any' }).tool_choice).toBe('required');
    expect(translate({ type: 'auto', disable_parallel_tool_use: true })).toMatchObject({ tool_choice: 'auto', parallel_tool_calls: false });
    expect(translate({ type: 'none' }).tool_choice).toBe('none');
    expect(translate({ type: 'tool', name: 'get_weather' }).tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    // Only server tools: no tools and no tool_choice at all (OpenAI rejects a choice without tools).
    const serverOnly = messagesToChat(base({ tools: [{ type: 'bash_20250124', name: 'bash' }], tool_choice: { type: 'any' } })).chat;
    expect(serverOnly).not.toHaveProperty('tools');
    expect(serverOnly).not.toHaveProperty('tool_choice');
  });
});
