/**
 * Anthropic Messages API, whole answers: a `message` object rewritten as an OpenAI
 * `chat.completion` (text blocks joined into `content`, `tool_use` blocks as `tool_calls`),
 * and the message of Anthropic's error bodies.
 */
import { randomUUID } from 'node:crypto';
import type { DecodedCompletion, UpstreamTarget } from '../contract';
import { UpstreamProtocolError } from '../errors';
import type { ChatCompletion, ToolCall } from '../openai-types';
import { excerpt, isRecord, tryParseJson } from '../shared/json';
import { readTokenCounts, toFinishReason, toUsage } from './anthropic-wire';

export function decodeAnthropicCompletion(body: string, target: UpstreamTarget): DecodedCompletion {
  const parsed = tryParseJson(body);
  if (!isRecord(parsed) || !Array.isArray(parsed['content'])) {
    throw new UpstreamProtocolError(`upstream answered 2xx with a body that is not an Anthropic message: ${excerpt(body)}`, 'malformed_response');
  }
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of parsed['content']) {
    if (!isRecord(block)) continue;
    if (block['type'] === 'text' && typeof block['text'] === 'string') texts.push(block['text']);
    else if (block['type'] === 'tool_use') toolCalls.push(toToolCall(block, body));
    // thinking, redacted_thinking and server-tool blocks have no OpenAI counterpart.
  }
  const usage = isRecord(parsed['usage']) ? toUsage(readTokenCounts(parsed['usage'])) : undefined;
  const completion: ChatCompletion = {
    id: `chatcmpl-${typeof parsed['id'] === 'string' ? parsed['id'] : randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: typeof parsed['model'] === 'string' ? parsed['model'] : target.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: texts.length > 0 ? texts.join('') : null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
        finish_reason: toFinishReason(parsed['stop_reason']),
        logprobs: null,
      },
    ],
    ...(usage ? { usage } : {}),
  };
  return { json: JSON.stringify(completion), usage };
}

/** A tool call without id or name cannot be answered by the client, so the whole answer is unusable. */
function toToolCall(block: Record<string, unknown>, body: string): ToolCall {
  const id = block['id'];
  const name = block['name'];
  if (typeof id !== 'string' || typeof name !== 'string') {
    throw new UpstreamProtocolError(`upstream sent a tool_use block without id or name: ${excerpt(body)}`, 'malformed_response');
  }
  return { id, type: 'function', function: { name, arguments: JSON.stringify(block['input'] ?? {}) } };
}

/** Anthropic: `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`. */
export function anthropicErrorMessage(status: number, body: string): string {
  const parsed = tryParseJson(body);
  if (isRecord(parsed)) {
    const error = parsed['error'];
    if (isRecord(error) && typeof error['message'] === 'string') return error['message'];
    if (typeof parsed['message'] === 'string') return parsed['message'];
  }
  return body.trim() ? excerpt(body) : `HTTP ${status}`;
}
