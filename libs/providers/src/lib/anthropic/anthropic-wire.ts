/**
 * Anthropic Messages API wire shapes the adapter writes, and the readers shared by the
 * whole-answer and streamed decoders: finish reason and token counts. Answers are read as
 * `unknown` and checked field by field, so only the request side is typed here.
 */
import type { FinishReason, Usage } from '../openai-types';
import { isRecord } from '../shared/json';

export const ANTHROPIC_VERSION = '2023-06-01';
/** Anthropic has no default output budget: a request without `max_tokens` is rejected. */
export const DEFAULT_MAX_TOKENS = 4096;

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
}

export type AnthropicImageSource = { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };

export interface AnthropicImageBlock {
  type: 'image';
  source: AnthropicImageSource;
}

export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface AnthropicToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
}

export type AnthropicContentBlock = AnthropicTextBlock | AnthropicImageBlock | AnthropicToolUseBlock | AnthropicToolResultBlock;

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | AnthropicContentBlock[];
}

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

export type AnthropicToolChoice =
  | { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: string;
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
  metadata?: { user_id: string };
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  stream: boolean;
}

/** `pause_turn`, `refusal`, unknown and missing reasons all end the answer as far as an OpenAI client can tell. */
export function toFinishReason(stopReason: unknown): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

export interface TokenCounts {
  /** Input tokens including prompt-cache reads and writes, which OpenAI counts as prompt tokens. */
  readonly prompt?: number;
  readonly completion?: number;
}

/** Reads an Anthropic `usage` object; a field that is absent (or null mid-stream) stays undefined. */
export function readTokenCounts(value: unknown): TokenCounts {
  if (!isRecord(value)) return {};
  const count = (key: string): number | undefined => {
    const n = value[key];
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
  };
  const input = count('input_tokens');
  const prompt = input === undefined ? undefined : input + (count('cache_read_input_tokens') ?? 0) + (count('cache_creation_input_tokens') ?? 0);
  return { prompt, completion: count('output_tokens') };
}

export function toUsage(counts: TokenCounts): Usage {
  const prompt = counts.prompt ?? 0;
  const completion = counts.completion ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
