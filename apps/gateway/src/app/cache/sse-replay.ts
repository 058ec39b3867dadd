/**
 * A cached `chat.completion` replayed to a streaming client as OpenAI's `chat.completion.chunk`
 * events: per choice a role chunk, its content (and any other text field of the message, such
 * as `refusal` or `reasoning_content`) in one chunk, its tool calls one chunk each, then its
 * finish chunk; a usage chunk (`choices: []`) only when the client asked
 * `stream_options.include_usage` (every other chunk then carries `usage: null`, as OpenAI's
 * do); then `data: [DONE]`. The openai SDK's stream reader assembles exactly the cached message
 * from it (apps/gateway/src/e2e/response-cache.e2e-spec.ts).
 */
import type { ChatCompletion, ToolCall } from '@orcest/providers';

interface CachedChoice {
  readonly index: number;
  readonly message: Record<string, unknown> & { content?: string | null; tool_calls?: ToolCall[] };
  readonly finish_reason: string | null;
  readonly logprobs?: unknown;
}

export function replayAsSse(body: string, includeUsage: boolean): string {
  const completion = JSON.parse(body) as Omit<ChatCompletion, 'choices'> & { choices: CachedChoice[]; system_fingerprint?: string | null };
  const head: Record<string, unknown> = { id: completion.id, object: 'chat.completion.chunk', created: completion.created, model: completion.model };
  if (completion.system_fingerprint !== undefined) head['system_fingerprint'] = completion.system_fingerprint;
  let out = '';
  const chunk = (choices: unknown[], usage?: unknown): void => {
    const event: Record<string, unknown> = { ...head, choices };
    if (includeUsage) event['usage'] = usage ?? null;
    out += `data: ${JSON.stringify(event)}\n\n`;
  };
  for (const choice of completion.choices) {
    const { index, message } = choice;
    const toolCalls = message.tool_calls ?? [];
    const text = typeof message.content === 'string' ? message.content : null;
    chunk([{ index, delta: { role: 'assistant', content: toolCalls.length > 0 && text === null ? null : '' }, logprobs: null, finish_reason: null }]);
    const delta: Record<string, unknown> = {};
    if (text !== null && text !== '') delta['content'] = text;
    for (const name in message) {
      if (name !== 'role' && name !== 'content' && name !== 'tool_calls' && typeof message[name] === 'string') delta[name] = message[name];
    }
    if (Object.keys(delta).length > 0) chunk([{ index, delta, logprobs: null, finish_reason: null }]);
    toolCalls.forEach((call, position) => {
      const piece = { index: position, id: call.id, type: call.type, function: { name: call.function.name, arguments: call.function.arguments } };
      chunk([{ index, delta: { tool_calls: [piece] }, logprobs: null, finish_reason: null }]);
    });
    chunk([{ index, delta: {}, logprobs: null, finish_reason: choice.finish_reason ?? 'stop' }]);
  }
  if (includeUsage && completion.usage !== undefined) chunk([], completion.usage);
  return out + 'data: [DONE]\n\n';
}
