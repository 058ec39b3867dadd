/**
 * The subset of OpenAI's Responses API (`POST /v1/responses`) the gateway speaks to its clients,
 * checked against the `openai` SDK's `resources/responses` types. Only what the gateway reads or
 * writes is typed; a client's unknown fields are ignored, never forwarded.
 */
import type { ChatMessage } from '@orcest/providers';

export interface ResponsesFunctionTool {
  readonly type: 'function';
  readonly name: string;
  readonly description?: string | null;
  readonly parameters?: Record<string, unknown> | null;
  readonly strict?: boolean | null;
}

export type ResponsesToolChoice = 'none' | 'auto' | 'required' | { readonly type: 'function'; readonly name: string };

/** `text.format`: plain text, JSON mode, or structured output against a JSON Schema. */
export type ResponsesTextFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json_object' }
  | { readonly type: 'json_schema'; readonly name: string; readonly schema: Record<string, unknown>; readonly strict?: boolean | null; readonly description?: string };

export interface OutputText {
  readonly type: 'output_text';
  text: string;
  readonly annotations: readonly unknown[];
  readonly logprobs: readonly unknown[];
}

export interface OutputMessageItem {
  readonly type: 'message';
  readonly id: string;
  status: 'in_progress' | 'completed' | 'incomplete';
  readonly role: 'assistant';
  readonly content: OutputText[];
}

export interface FunctionCallItem {
  readonly type: 'function_call';
  readonly id: string;
  readonly call_id: string;
  name: string;
  arguments: string;
  status: 'in_progress' | 'completed' | 'incomplete';
}

export type OutputItem = OutputMessageItem | FunctionCallItem;

export interface ResponseUsage {
  readonly input_tokens: number;
  readonly input_tokens_details: { readonly cached_tokens: number };
  readonly output_tokens: number;
  readonly output_tokens_details: { readonly reasoning_tokens: number };
  readonly total_tokens: number;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** The `response` object (`object: "response"`), as created, streamed, stored and read back. */
export interface ResponseObject {
  readonly id: string;
  readonly object: 'response';
  readonly created_at: number;
  status: ResponseStatus;
  completed_at: number | null;
  error: { readonly code: string; readonly message: string } | null;
  incomplete_details: { readonly reason: 'max_output_tokens' | 'content_filter' } | null;
  readonly instructions: string | null;
  readonly max_output_tokens: number | null;
  model: string;
  output: OutputItem[];
  readonly parallel_tool_calls: boolean;
  readonly previous_response_id: string | null;
  readonly store: boolean;
  readonly temperature: number | null;
  readonly top_p: number | null;
  readonly text: { readonly format: ResponsesTextFormat };
  readonly tool_choice: ResponsesToolChoice;
  readonly tools: readonly ResponsesFunctionTool[];
  readonly truncation: 'disabled';
  readonly metadata: Record<string, string>;
  readonly user: string | null;
  usage: ResponseUsage | null;
}

/**
 * A checked `POST /v1/responses` body, plus the internal chat request it becomes. `conversation`
 * is everything the model saw except the instructions (which a continuation does not inherit):
 * a stored response keeps it with its answer appended, for `previous_response_id`.
 */
export interface ParsedResponsesRequest {
  readonly model: string;
  readonly stream: boolean;
  readonly store: boolean;
  readonly previousResponseId: string | null;
  readonly instructions: string | null;
  /** The new input as chat messages (before any stored conversation is prepended). */
  readonly input: readonly ChatMessage[];
  readonly tools: readonly ResponsesFunctionTool[];
  readonly toolChoice: ResponsesToolChoice;
  readonly parallelToolCalls: boolean;
  readonly textFormat: ResponsesTextFormat;
  readonly maxOutputTokens: number | null;
  readonly temperature: number | null;
  readonly topP: number | null;
  readonly user: string | null;
  readonly metadata: Record<string, string>;
  /** Tool types other than `function` the client sent: dropped (no chat-completions upstream runs them), named in `x-rainymodel-dropped`. */
  readonly droppedTools: readonly string[];
}
