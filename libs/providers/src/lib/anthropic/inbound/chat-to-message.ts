/**
 * A whole OpenAI `chat.completion` (what the OpenAI and Ollama adapters decode an upstream's
 * answer into) → an Anthropic `message`, for a client of `/v1/messages`: content as a text
 * block then `tool_use` blocks, the finish reason as a stop reason, usage as input/output tokens.
 */
import { UpstreamProtocolError } from '../../errors';
import type { Usage } from '../../openai-types';
import { excerpt, isRecord, tryParseJson } from '../../shared/json';
import { messageId, toStopReason, toolInput } from './stop-reason';

type MessageBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/**
 * @param completionJson what `ProtocolAdapter.decodeCompletion` returned (already validated by it)
 * @param model the model name to report (the upstream's, as Anthropic reports its own)
 */
export function chatCompletionToMessage(completionJson: string, usage: Usage | undefined, model: string): string {
  const parsed = tryParseJson(completionJson);
  const choice = isRecord(parsed) && Array.isArray(parsed['choices']) ? parsed['choices'][0] : undefined;
  const message = isRecord(choice) ? choice['message'] : undefined;
  if (!isRecord(parsed) || !isRecord(choice) || !isRecord(message)) {
    throw new UpstreamProtocolError(`upstream answer has no message to translate: ${excerpt(completionJson)}`, 'malformed_response');
  }
  const content: MessageBlock[] = [];
  if (typeof message['content'] === 'string' && message['content'] !== '') content.push({ type: 'text', text: message['content'] });
  if (Array.isArray(message['tool_calls'])) {
    for (const call of message['tool_calls']) {
      const fn = isRecord(call) ? call['function'] : undefined;
      if (!isRecord(call) || !isRecord(fn) || typeof fn['name'] !== 'string') continue;
      content.push({ type: 'tool_use', id: toolUseId(call['id']), name: fn['name'], input: toolInput(typeof fn['arguments'] === 'string' ? fn['arguments'] : '') });
    }
  }
  // An empty answer is one empty text block, as Anthropic sends it.
  if (content.length === 0) content.push({ type: 'text', text: '' });
  return JSON.stringify({
    id: messageId(parsed['id']),
    type: 'message',
    role: 'assistant',
    model: typeof parsed['model'] === 'string' ? parsed['model'] : model,
    content,
    stop_reason: toStopReason(choice['finish_reason']),
    stop_sequence: null,
    usage: { input_tokens: usage?.prompt_tokens ?? 0, output_tokens: usage?.completion_tokens ?? 0 },
  });
}

/** Tool-use ids are echoed back in `tool_result.tool_use_id`: the upstream's id is kept whenever it has one. */
export function toolUseId(id: unknown): string {
  return typeof id === 'string' && id !== '' ? id : `toolu_${Math.random().toString(36).slice(2, 14)}`;
}
