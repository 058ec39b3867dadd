/**
 * Token counts for an answer whose upstream reported none, so every served request is counted
 * (tokens-per-minute limits, usage records) whatever the upstream does. Rough by design, and
 * marked as estimated wherever it is used:
 *
 * - prompt: routing's estimate of the request (`measureRequest` in @orcest/routing, the one
 *   estimate the planner's window check and the rate limiter's reservation use too).
 * - completion, streamed: one token per complete upstream event (the role, finish and `[DONE]`
 *   events included: a slight overcount). OpenAI-compatible servers stream about one token per
 *   chunk, and counting events costs nothing on the hot path (the stream is forwarded without
 *   being decoded).
 * - completion, whole answer: the characters of the choices' content and tool-call arguments / 4
 *   (of an Anthropic message: its text and tool inputs).
 *   (or of a Responses `output`'s text and function-call arguments, for /v1/responses).
 */
import type { Usage } from '@orcest/providers';

const CHARS_PER_TOKEN = 4;

export function estimateStreamUsage(promptTokens: number, upstreamEvents: number): Usage {
  return usage(promptTokens, upstreamEvents);
}

export function estimateCompletionUsage(promptTokens: number, completionJson: string): Usage {
  let chars = 0;
  try {
    const parsed = JSON.parse(completionJson) as {
      choices?: Array<{ text?: unknown; message?: { content?: unknown; tool_calls?: Array<{ function?: { arguments?: unknown } }> } }>;
      /** An Anthropic message (the `/v1/messages` answer): text and tool_use blocks. */
      content?: Array<{ text?: unknown; input?: unknown }>;
      /** A Responses-API `response` object (the /v1/responses dialect answers in it). */
      output?: Array<{ content?: Array<{ text?: unknown }>; arguments?: unknown }>;
    };
    for (const choice of parsed.choices ?? []) {
      // A legacy text completion's answer (`/v1/completions`).
      if (typeof choice.text === 'string') chars += choice.text.length;
      const message = choice.message;
      if (typeof message?.content === 'string') chars += message.content.length;
      for (const call of message?.tool_calls ?? []) if (typeof call.function?.arguments === 'string') chars += call.function.arguments.length;
    }
    if (Array.isArray(parsed.content)) {
      for (const block of parsed.content) {
        if (typeof block?.text === 'string') chars += block.text.length;
        else if (block?.input !== undefined) chars += JSON.stringify(block.input).length;
      }
    }
    for (const item of parsed.output ?? []) {
      if (typeof item.arguments === 'string') chars += item.arguments.length;
      for (const part of item.content ?? []) if (typeof part.text === 'string') chars += part.text.length;
    }
  } catch {
    // The adapters validated this JSON already; an estimate is never worth failing an answer.
  }
  return usage(promptTokens, Math.ceil(chars / CHARS_PER_TOKEN));
}

function usage(prompt: number, completion: number): Usage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
