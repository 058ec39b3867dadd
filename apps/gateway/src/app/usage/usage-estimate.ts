/**
 * Token counts for an answer whose upstream reported none, so every served request is counted
 * (tokens-per-minute limits, usage records) whatever the upstream does. Rough by design, and
 * marked as estimated wherever it is used:
 *
 * - prompt: the characters of the messages' text (string content, text parts, tool-call
 *   arguments) and of the tool definitions, divided by 4 — the usual characters-per-token of
 *   English text in OpenAI's tokenizers. Images and other parts are not counted.
 * - completion, streamed: one token per complete upstream event (the role, finish and `[DONE]`
 *   events included: a slight overcount). OpenAI-compatible servers stream about one token per
 *   chunk, and counting events costs nothing on the hot path (the stream is forwarded without
 *   being decoded).
 * - completion, whole answer: the characters of the choices' content and tool-call arguments / 4.
 */
import type { ChatRequest, Usage } from '@orcest/providers';

const CHARS_PER_TOKEN = 4;

export function estimatePromptTokens(request: ChatRequest): number {
  let chars = 0;
  for (const message of request.messages) {
    const content = message.content;
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content)) {
      for (const part of content) if (part.type === 'text' && typeof part.text === 'string') chars += part.text.length;
    }
    if (Array.isArray(message.tool_calls)) for (const call of message.tool_calls) chars += call.function.arguments.length + call.function.name.length;
  }
  // Depth-bounded at the edge (json-depth.ts), so stringifying the tools cannot overflow.
  if (Array.isArray(request.tools) && request.tools.length > 0) chars += JSON.stringify(request.tools).length;
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

export function estimateStreamUsage(request: ChatRequest, upstreamEvents: number): Usage {
  return usage(estimatePromptTokens(request), upstreamEvents);
}

export function estimateCompletionUsage(request: ChatRequest, completionJson: string): Usage {
  let chars = 0;
  try {
    const parsed = JSON.parse(completionJson) as { choices?: Array<{ message?: { content?: unknown; tool_calls?: Array<{ function?: { arguments?: unknown } }> } }> };
    for (const choice of parsed.choices ?? []) {
      const message = choice.message;
      if (typeof message?.content === 'string') chars += message.content.length;
      for (const call of message?.tool_calls ?? []) if (typeof call.function?.arguments === 'string') chars += call.function.arguments.length;
    }
  } catch {
    // The adapters validated this JSON already; an estimate is never worth failing an answer.
  }
  return usage(estimatePromptTokens(request), Math.ceil(chars / CHARS_PER_TOKEN));
}

function usage(prompt: number, completion: number): Usage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
