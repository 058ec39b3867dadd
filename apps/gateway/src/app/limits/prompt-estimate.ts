/**
 * A cheap guess of a chat request's prompt tokens, reserved against the API key's
 * tokens-per-minute limit when the request is admitted; the upstream's count replaces it when
 * the answer ends (rate-limiter.ts), so the guess only has to be in the right range.
 *
 * About one token per four characters of text (the usual rule for English; it undercounts
 * some scripts, which the settlement corrects), a few tokens of chat format per message, and a
 * flat amount per image/audio/file part, whose base64 size says little about its tokens. Tool
 * schemas are not counted. Runs before the body is validated, so it reads only known fields at
 * a fixed depth, in loops: no recursion, no allocation, whatever the body's shape.
 */
const CHARS_PER_TOKEN = 4;
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_MEDIA_PART = 500;

export function estimatePromptTokens(body: unknown): number {
  const messages = (body as { messages?: unknown } | null | undefined)?.messages;
  if (!Array.isArray(messages)) return 0;
  let chars = 0;
  let tokens = 0;
  for (const message of messages as unknown[]) {
    if (message === null || typeof message !== 'object') continue;
    tokens += TOKENS_PER_MESSAGE;
    const { content, name, tool_calls: toolCalls } = message as { content?: unknown; name?: unknown; tool_calls?: unknown };
    if (typeof name === 'string') chars += name.length;
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content)) {
      for (const part of content as unknown[]) {
        const text = (part as { text?: unknown } | null)?.text;
        if (typeof text === 'string') chars += text.length;
        else if (part !== null && typeof part === 'object') tokens += TOKENS_PER_MEDIA_PART;
      }
    }
    if (Array.isArray(toolCalls)) {
      for (const call of toolCalls as unknown[]) {
        const args = (call as { function?: { arguments?: unknown } } | null)?.function?.arguments;
        if (typeof args === 'string') chars += args.length;
      }
    }
  }
  return tokens + Math.ceil(chars / CHARS_PER_TOKEN);
}
