/**
 * Anthropic Messages request → the gateway's internal OpenAI chat request: what routing
 * measures, and what the OpenAI and Ollama adapters build their upstream requests from.
 *
 * - `system` (a string or text blocks) becomes the first system message;
 * - a user turn's `tool_result` blocks become `tool` messages, placed first (OpenAI wants tool
 *   results right after the assistant turn that called them), its text and images one user message;
 * - an assistant turn's `tool_use` blocks become `tool_calls` (input as JSON text);
 * - `thinking` (the parameter, and thinking blocks of earlier turns) has no counterpart outside
 *   Anthropic and is dropped: `droppedThinking` tells the gateway to say so in a header;
 * - Anthropic's own server tools (dated `type`s: web search, bash…) cannot run elsewhere and
 *   are left out; so are block types without an OpenAI counterpart (documents, search results).
 */
import type { ChatMessage, ChatRequest, ContentPart, ToolCall, ToolChoice, ToolDefinition } from '../../openai-types';
import { isRecord } from '../../shared/json';
import type { AnthropicImageSource } from '../anthropic-wire';
import type { InboundBlock, InboundMessage, InboundTool, InboundToolChoice, InboundToolResultBlock, MessagesRequest } from './messages-types';

export interface TranslatedMessages {
  readonly chat: ChatRequest;
  /** The request asked for thinking, or carried thinking blocks: none of it reached the upstream. */
  readonly droppedThinking: boolean;
}

export function messagesToChat(request: MessagesRequest): TranslatedMessages {
  const state = { droppedThinking: request.thinking !== undefined && request.thinking !== null };
  const messages: ChatMessage[] = [];
  const system = systemText(request.system);
  if (system !== '') messages.push({ role: 'system', content: system });
  for (const message of request.messages) {
    if (message.role === 'assistant') messages.push(assistantMessage(message, state));
    else pushUserTurn(messages, message, state);
  }
  const chat: ChatRequest = { model: request.model, messages };
  if (request.stream === true) chat.stream = true;
  if (typeof request.max_tokens === 'number') chat.max_tokens = request.max_tokens;
  if (typeof request.temperature === 'number') chat.temperature = request.temperature;
  if (typeof request.top_p === 'number') chat.top_p = request.top_p;
  if (Array.isArray(request.stop_sequences) && request.stop_sequences.length > 0) chat.stop = request.stop_sequences;
  if (typeof request.metadata?.user_id === 'string' && request.metadata.user_id !== '') chat.user = request.metadata.user_id;
  const tools = (request.tools ?? []).filter(isClientTool).map(toTool);
  if (tools.length > 0) {
    chat.tools = tools;
    applyToolChoice(chat, request.tool_choice);
  }
  return { chat, droppedThinking: state.droppedThinking };
}

interface TranslationState {
  droppedThinking: boolean;
}

/** System blocks are joined as Anthropic reads them: one prompt, in order. */
export function systemText(system: MessagesRequest['system']): string {
  if (typeof system === 'string') return system;
  if (!Array.isArray(system)) return '';
  return system.map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('\n\n');
}

function pushUserTurn(messages: ChatMessage[], message: InboundMessage, state: TranslationState): void {
  if (typeof message.content === 'string') {
    messages.push({ role: 'user', content: message.content });
    return;
  }
  const parts: ContentPart[] = [];
  for (const block of message.content) {
    if (block.type === 'tool_result') {
      const result = block as InboundToolResultBlock;
      messages.push({ role: 'tool', tool_call_id: result.tool_use_id, content: toolResultText(result) });
      // A tool can return images; a tool message carries text only, so they follow as the user's.
      if (Array.isArray(result.content)) for (const inner of result.content) if (inner.type === 'image') pushPart(parts, inner, state);
    } else {
      pushPart(parts, block, state);
    }
  }
  if (parts.length === 0) return;
  // One text part is sent as a plain string: what every OpenAI-compatible server accepts.
  const only = parts[0];
  messages.push({ role: 'user', content: parts.length === 1 && only?.type === 'text' ? only.text : parts });
}

function pushPart(parts: ContentPart[], block: InboundBlock, state: TranslationState): void {
  if (block.type === 'text' && typeof block['text'] === 'string') parts.push({ type: 'text', text: block['text'] });
  else if (block.type === 'image' && isRecord(block['source'])) parts.push({ type: 'image_url', image_url: { url: imageUrl(block['source'] as AnthropicImageSource) } });
  else if (block.type === 'thinking' || block.type === 'redacted_thinking') state.droppedThinking = true;
}

/** A tool result's text: a string, or its text blocks joined; an error result says so, as Anthropic's `is_error` does. */
function toolResultText(result: InboundToolResultBlock): string {
  const content = result.content;
  let text = '';
  if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) text = content.map((block) => (block.type === 'text' && typeof block['text'] === 'string' ? block['text'] : '')).join('');
  return result.is_error === true ? `Error: ${text}` : text;
}

function assistantMessage(message: InboundMessage, state: TranslationState): ChatMessage {
  if (typeof message.content === 'string') return { role: 'assistant', content: message.content };
  let text = '';
  const calls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text' && typeof block['text'] === 'string') text += block['text'];
    else if (block.type === 'tool_use') calls.push({ id: String(block['id']), type: 'function', function: { name: String(block['name']), arguments: JSON.stringify(block['input'] ?? {}) } });
    else if (block.type === 'thinking' || block.type === 'redacted_thinking') state.droppedThinking = true;
  }
  if (calls.length === 0) return { role: 'assistant', content: text };
  return { role: 'assistant', content: text === '' ? null : text, tool_calls: calls };
}

/** OpenAI carries inline images as data URLs. */
function imageUrl(source: AnthropicImageSource): string {
  return source.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source.url;
}

/** Client tools have no `type` or `custom`; dated types are Anthropic's server tools. */
function isClientTool(tool: InboundTool): boolean {
  return tool.type === undefined || tool.type === null || tool.type === 'custom';
}

function toTool(tool: InboundTool): ToolDefinition {
  const fn: ToolDefinition['function'] = { name: tool.name, parameters: tool.input_schema ?? { type: 'object', properties: {} } };
  if (typeof tool.description === 'string') fn.description = tool.description;
  return { type: 'function', function: fn };
}

function applyToolChoice(chat: ChatRequest, choice: InboundToolChoice | undefined): void {
  if (!choice) return;
  const mapped: ToolChoice | undefined =
    choice.type === 'any' ? 'required' : choice.type === 'none' ? 'none' : choice.type === 'tool' && typeof choice.name === 'string' ? { type: 'function', function: { name: choice.name } } : choice.type === 'auto' ? 'auto' : undefined;
  if (mapped !== undefined) chat.tool_choice = mapped;
  if (choice.disable_parallel_tool_use === true) chat.parallel_tool_calls = false;
}
