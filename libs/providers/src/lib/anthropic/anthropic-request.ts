/**
 * Anthropic Messages API, requests: the client's OpenAI chat request rewritten as a
 * `POST /v1/messages` body. System prompts move to the top-level `system`, tool calls and
 * tool results become content blocks, and turns are merged so roles alternate, as Anthropic
 * requires. OpenAI-only parameters (n, seed, response_format, stream_options…) are dropped.
 */
import type { UpstreamRequest, UpstreamTarget } from '../contract';
import type { ChatMessage, ChatRequest, ContentPart, ToolCall, ToolChoice, ToolDefinition } from '../openai-types';
import { UntranslatableRequestError } from '../errors';
import { isRecord, tryParseJson } from '../shared/json';
import {
  ANTHROPIC_VERSION,
  DEFAULT_MAX_TOKENS,
  type AnthropicContentBlock,
  type AnthropicImageSource,
  type AnthropicMessage,
  type AnthropicRequest,
  type AnthropicTool,
  type AnthropicToolChoice,
  type AnthropicToolUseBlock,
} from './anthropic-wire';

export function buildAnthropicRequest(request: ChatRequest, target: UpstreamTarget, stream: boolean): UpstreamRequest {
  const body: AnthropicRequest = {
    model: target.model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_MAX_TOKENS,
    messages: [],
    stream,
  };
  const system: string[] = [];
  for (const message of request.messages) {
    if (message.role === 'system' || message.role === 'developer') {
      const text = textOf(message.content);
      if (text !== '') system.push(text);
    } else {
      appendTurn(body.messages, toAnthropicMessage(message));
    }
  }
  if (system.length > 0) body.system = system.join('\n\n');
  if (typeof request.temperature === 'number') body.temperature = request.temperature;
  if (typeof request.top_p === 'number') body.top_p = request.top_p;
  const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (Array.isArray(stop) && stop.length > 0) body.stop_sequences = stop;
  if (typeof request.user === 'string' && request.user !== '') body.metadata = { user_id: request.user };
  const tools = (request.tools ?? []).filter((tool) => tool.type === 'function').map(toAnthropicTool);
  // Anthropic rejects `tool_choice` without `tools`, so both go together or not at all.
  if (tools.length > 0) {
    body.tools = tools;
    const choice = toAnthropicToolChoice(request.tool_choice, request.parallel_tool_calls);
    if (choice) body.tool_choice = choice;
  }

  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
  };
  if (target.apiKey) headers['x-api-key'] = target.apiKey;
  return { path: '/v1/messages', headers, body: JSON.stringify(body) };
}

/** Text of a message, array parts concatenated; Anthropic's system prompt and tool results here are plain strings. */
function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function toAnthropicMessage(message: ChatMessage): AnthropicMessage {
  if (message.role === 'tool') {
    return { role: 'user', content: [{ type: 'tool_result', tool_use_id: message.tool_call_id ?? '', content: textOf(message.content) }] };
  }
  if (message.role === 'assistant') {
    const calls = message.tool_calls ?? [];
    if (calls.length === 0) return { role: 'assistant', content: toContent(message.content) };
    const text = textOf(message.content);
    const blocks: AnthropicContentBlock[] = text === '' ? [] : [{ type: 'text', text }];
    return { role: 'assistant', content: [...blocks, ...calls.map(toToolUse)] };
  }
  return { role: 'user', content: toContent(message.content) };
}

function toContent(content: ChatMessage['content']): string | AnthropicContentBlock[] {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.flatMap((part) => toBlock(part));
}

/** Parts Anthropic has no equivalent for (audio, files) are dropped rather than sent as garbage. */
function toBlock(part: ContentPart): AnthropicContentBlock[] {
  if (part.type === 'text') return [{ type: 'text', text: part.text }];
  if (part.type === 'image_url' && typeof part.image_url?.url === 'string') return [{ type: 'image', source: imageSource(part.image_url.url) }];
  return [];
}

/** OpenAI carries inline images as data URLs; Anthropic wants the media type and base64 payload apart. */
function imageSource(url: string): AnthropicImageSource {
  const match = /^data:([^,]*),(.*)$/is.exec(url);
  if (!match) return { type: 'url', url };
  const [mediaType = '', ...params] = (match[1] ?? '').split(';');
  const payload = match[2] ?? '';
  const base64 = params.some((param) => param.trim().toLowerCase() === 'base64');
  return { type: 'base64', media_type: mediaType.trim(), data: base64 ? payload : Buffer.from(percentDecode(payload), 'utf8').toString('base64') };
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Anthropic's `input` must be an object, OpenAI's `arguments` is free text a model (or client)
 * may have left truncated. Empty text means no arguments; anything that does not parse to an
 * object is kept verbatim under `_raw` instead of being silently replaced by `{}`, so the
 * model still sees what it said and the conversation stays truthful.
 */
function toToolUse(call: ToolCall): AnthropicToolUseBlock {
  const text = call.function.arguments ?? '';
  const parsed = text.trim() === '' ? {} : tryParseJson(text);
  return { type: 'tool_use', id: call.id, name: call.function.name, input: isRecord(parsed) ? parsed : { _raw: text } };
}

/** Anthropic requires alternating turns: a message with the previous one's role is folded into it. */
function appendTurn(turns: AnthropicMessage[], message: AnthropicMessage): void {
  const last = turns[turns.length - 1];
  if (!last || last.role !== message.role) {
    turns.push(message);
    return;
  }
  last.content = [...toBlocks(last.content), ...toBlocks(message.content)];
}

/** An empty string becomes no block: Anthropic rejects empty text blocks. */
function toBlocks(content: string | AnthropicContentBlock[]): AnthropicContentBlock[] {
  if (typeof content !== 'string') return content;
  return content === '' ? [] : [{ type: 'text', text: content }];
}

function toAnthropicTool(tool: ToolDefinition): AnthropicTool {
  const out: AnthropicTool = { name: tool.function.name, input_schema: tool.function.parameters ?? { type: 'object', properties: {} } };
  if (tool.function.description !== undefined) out.description = tool.function.description;
  return out;
}

/** `none` has no `disable_parallel_tool_use`: with no tool calls there is nothing to parallelise. */
function toAnthropicToolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): AnthropicToolChoice | undefined {
  const single = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...single };
  if (isRecord(choice) && choice.type === 'function') {
    // The request comes from a client as parsed JSON: its declared type is a hope, not a fact.
    const name = (choice as { function?: unknown }).function;
    if (!isRecord(name) || typeof name['name'] !== 'string') throw new UntranslatableRequestError("'tool_choice.function.name' is required when tool_choice is a function", 'tool_choice.function.name');
    return { type: 'tool', name: name['name'], ...single };
  }
  if (choice === 'auto' || parallel === false) return { type: 'auto', ...single };
  return undefined;
}
