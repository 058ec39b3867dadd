/** OpenAI's finish reason as Anthropic's stop reason (OpenAI does not say which stop sequence hit: `end_turn`). */
export type StopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'refusal';

export function toStopReason(finishReason: unknown): StopReason {
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** Anthropic's message ids start with `msg_`; the upstream's own id is kept after it. */
export function messageId(upstreamId: unknown): string {
  if (typeof upstreamId !== 'string' || upstreamId === '') return `msg_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  return upstreamId.startsWith('msg_') ? upstreamId : `msg_${upstreamId.replace(/^chatcmpl-/, '')}`;
}

/** Tool arguments as Anthropic's `input` object: text that is not a JSON object is kept under `_raw`, never lost. */
export function toolInput(argumentsText: string): Record<string, unknown> {
  if (argumentsText.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(argumentsText);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through: kept verbatim
  }
  return { _raw: argumentsText };
}
