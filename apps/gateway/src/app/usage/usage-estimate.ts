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
 * - completion, whole answer: the characters the model generated / 4. Which characters those are
 *   (the choices' content and tool-call arguments, an Anthropic message's text and tool inputs, …)
 *   depends on the answer's shape: the client dialect that shaped it says
 *   (`ClientDialect.completionChars`), so this file knows no protocol.
 */
import type { Usage } from '@orcest/providers';
import type { ClientDialect } from '../completions/client-dialect';

const CHARS_PER_TOKEN = 4;

export function estimateStreamUsage(promptTokens: number, upstreamEvents: number): Usage {
  return usage(promptTokens, upstreamEvents);
}

/** `completionJson`: the whole answer as `answering` shaped it (its `decodeCompletion`'s `json`). */
export function estimateCompletionUsage(promptTokens: number, completionJson: string, answering: Pick<ClientDialect, 'completionChars'>): Usage {
  let chars = 0;
  try {
    chars = answering.completionChars(JSON.parse(completionJson));
  } catch {
    // The adapters validated this JSON already; an estimate is never worth failing an answer.
  }
  return usage(promptTokens, Math.ceil(chars / CHARS_PER_TOKEN));
}

function usage(prompt: number, completion: number): Usage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
