/**
 * Ollama native chat protocol, whole answers: the `/api/chat` object (`stream: false`) becomes
 * an OpenAI `chat.completion`, and an error body `{"error":"..."}` yields its message.
 */
import type { DecodedCompletion, UpstreamTarget } from '../contract';
import { UpstreamProtocolError } from '../errors';
import type { ChatCompletion } from '../openai-types';
import { excerpt, isRecord, tryParseJson } from '../shared/json';
import { completionId, createdSeconds, finishReason, readContent, readToolCalls, readUsage, toOpenAiToolCall } from './ollama-wire';

export function decodeOllamaCompletion(body: string, target: UpstreamTarget): DecodedCompletion {
  const parsed = tryParseJson(body);
  const message = isRecord(parsed) ? parsed['message'] : undefined;
  if (!isRecord(parsed) || !isRecord(message)) {
    throw new UpstreamProtocolError(`upstream answered 2xx with a body that is not an Ollama chat response: ${excerpt(body)}`, 'malformed_response');
  }
  const content = readContent(message);
  const toolCalls = readToolCalls(message).map(toOpenAiToolCall);
  const usage = readUsage(parsed);
  const completion: ChatCompletion = {
    id: completionId(),
    object: 'chat.completion',
    created: createdSeconds(parsed['created_at']),
    model: typeof parsed['model'] === 'string' && parsed['model'] !== '' ? parsed['model'] : target.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          // OpenAI's convention: a pure tool-call answer has `content: null`, not "".
          content: content === '' && toolCalls.length > 0 ? null : content,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: finishReason(parsed['done_reason'], toolCalls.length > 0),
        logprobs: null,
      },
    ],
    ...(usage ? { usage } : {}),
  };
  return { json: JSON.stringify(completion), usage };
}

/** Ollama errors are `{"error":"..."}`; a proxy in front of it may use OpenAI's `{"error":{"message":...}}`. */
export function ollamaErrorMessage(status: number, body: string): string {
  const parsed = tryParseJson(body);
  if (isRecord(parsed)) {
    const error = parsed['error'];
    if (typeof error === 'string' && error !== '') return error;
    if (isRecord(error) && typeof error['message'] === 'string') return error['message'];
  }
  return body.trim() ? excerpt(body) : `HTTP ${status}`;
}
