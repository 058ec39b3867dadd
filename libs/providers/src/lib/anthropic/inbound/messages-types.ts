/**
 * Anthropic Messages API as clients send it to the gateway (`POST /v1/messages`): the request
 * shapes the inbound translators read. The gateway's validator checks every field read here
 * before a translator sees the body; unknown fields and block types are kept (index
 * signatures), to reach an Anthropic upstream as sent.
 */
import type { AnthropicImageSource } from '../anthropic-wire';

export interface InboundTextBlock {
  type: 'text';
  text: string;
  [key: string]: unknown;
}

export interface InboundImageBlock {
  type: 'image';
  source: AnthropicImageSource;
  [key: string]: unknown;
}

export interface InboundToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
  [key: string]: unknown;
}

export interface InboundToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | Array<InboundTextBlock | InboundImageBlock | InboundOtherBlock>;
  is_error?: boolean;
  [key: string]: unknown;
}

/** `thinking`, `redacted_thinking`, `document`, server-tool results, and types newer than this code. */
export interface InboundOtherBlock {
  type: string;
  [key: string]: unknown;
}

export type InboundBlock = InboundTextBlock | InboundImageBlock | InboundToolUseBlock | InboundToolResultBlock | InboundOtherBlock;

export interface InboundMessage {
  role: 'user' | 'assistant';
  content: string | InboundBlock[];
}

export interface InboundTool {
  /** Absent or `custom` for a client tool; a dated type (`web_search_20250305`, `bash_20250124`) for Anthropic's own tools. */
  type?: string;
  name: string;
  description?: string;
  input_schema?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface InboundToolChoice {
  type: 'auto' | 'any' | 'tool' | 'none';
  name?: string;
  disable_parallel_tool_use?: boolean;
}

export interface MessagesRequest {
  model: string;
  /** Required by Anthropic on `/v1/messages`; absent on `/v1/messages/count_tokens`. */
  max_tokens?: number;
  messages: InboundMessage[];
  system?: string | InboundTextBlock[];
  stop_sequences?: string[];
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  tools?: InboundTool[];
  tool_choice?: InboundToolChoice;
  /** Extended thinking: `{ type: 'enabled', budget_tokens }` — Anthropic only. */
  thinking?: unknown;
  metadata?: { user_id?: string };
  [key: string]: unknown;
}
