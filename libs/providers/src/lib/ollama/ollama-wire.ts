/**
 * Ollama `/api/chat` wire shapes and the readers shared by the whole-answer and streamed
 * decoders: tool calls, finish reason, usage, timestamps and the ids Ollama does not send.
 */
import { randomUUID } from 'node:crypto';
import type { FinishReason, ToolCall, Usage } from '../openai-types';
import { isRecord } from '../shared/json';

export interface OllamaToolCall {
  function: { name: string; arguments: Record<string, unknown> };
}

export interface OllamaMessage {
  role: string;
  content: string;
  images?: string[];
  tool_calls?: OllamaToolCall[];
  tool_name?: string;
}

export interface OllamaOptions {
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop?: string[];
  num_predict?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
}

export interface OllamaChatBody {
  model: string;
  messages: OllamaMessage[];
  stream: boolean;
  options?: OllamaOptions;
  tools?: unknown[];
  format?: 'json' | Record<string, unknown>;
  keep_alive?: string | number;
}

/** A tool call as Ollama reports it, before it gets the id OpenAI clients need. */
export interface DecodedToolCall {
  readonly name: string;
  /** JSON text of the arguments object. */
  readonly arguments: string;
}

/** Ollama never names its answers; clients expect OpenAI-looking ids. */
export function completionId(): string {
  return `chatcmpl-${randomUUID().replace(/-/g, '')}`;
}

export function toolCallId(): string {
  return `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

export function toOpenAiToolCall(call: DecodedToolCall): ToolCall {
  return { id: toolCallId(), type: 'function', function: { name: call.name, arguments: call.arguments } };
}

/** `message.tool_calls` of a response or stream line; entries without a function name are dropped. */
export function readToolCalls(message: Record<string, unknown>): DecodedToolCall[] {
  const calls = message['tool_calls'];
  if (!Array.isArray(calls)) return [];
  const decoded: DecodedToolCall[] = [];
  for (const call of calls) {
    const fn = isRecord(call) ? call['function'] : undefined;
    if (!isRecord(fn) || typeof fn['name'] !== 'string') continue;
    const args = fn['arguments'];
    // Ollama sends an object; a proxy in front of it may already have serialised it.
    decoded.push({ name: fn['name'], arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) });
  }
  return decoded;
}

export function readContent(message: Record<string, unknown>): string {
  const content = message['content'];
  return typeof content === 'string' ? content : '';
}

export function finishReason(doneReason: unknown, sawToolCalls: boolean): FinishReason {
  if (sawToolCalls) return 'tool_calls';
  return doneReason === 'length' ? 'length' : 'stop';
}

/**
 * Token counts of a final (`done: true`) object. Ollama leaves `prompt_eval_count` out when
 * the whole prompt came from its cache, so a missing count is 0, not "no usage".
 */
export function readUsage(final: Record<string, unknown>): Usage | undefined {
  const prompt = final['prompt_eval_count'];
  const completion = final['eval_count'];
  const hasPrompt = typeof prompt === 'number' && Number.isFinite(prompt);
  const hasCompletion = typeof completion === 'number' && Number.isFinite(completion);
  if (!hasPrompt && !hasCompletion) return undefined;
  const promptTokens = hasPrompt ? prompt : 0;
  const completionTokens = hasCompletion ? completion : 0;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/** Unix seconds of Ollama's RFC 3339 `created_at`, or now when it is missing or unreadable. */
export function createdSeconds(createdAt: unknown): number {
  const millis = typeof createdAt === 'string' ? Date.parse(createdAt) : Number.NaN;
  return Math.floor((Number.isFinite(millis) ? millis : Date.now()) / 1000);
}
