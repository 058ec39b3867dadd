/**
 * `POST /v1/responses` bodies: checked field by field (a malformed one is a 400 naming the
 * parameter, in OpenAI's error shape), then turned into the internal chat-completions request
 * every upstream adapter builds from. Input items map onto chat messages:
 *
 * - `message` (or a bare `{role, content}`): its text parts joined, images as `image_url` parts;
 *   `developer` becomes `system` (not every OpenAI-compatible upstream knows `developer`);
 * - `function_call` items join the assistant message before them as `tool_calls`;
 * - `function_call_output` becomes a `tool` message;
 * - `reasoning` items are skipped: a chat-completions upstream cannot take them back.
 *
 * `instructions` become the first system message of this request only: a continuation by
 * `previous_response_id` does not inherit them (as at OpenAI).
 */
import type { ChatMessage, ChatRequest, ContentPart, ToolCall } from '@orcest/providers';
import { InvalidRequestError } from '../errors';
import type { ParsedResponsesRequest, ResponsesFunctionTool, ResponsesTextFormat, ResponsesToolChoice } from './responses-types';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const absent = (v: unknown): boolean => v === undefined || v === null;

const MESSAGE_ROLES = new Set(['user', 'assistant', 'system', 'developer']);
/** Parameters OpenAI has that need state or tools the gateway does not run: refused rather than silently ignored. */
const UNSUPPORTED = ['conversation', 'background', 'prompt'] as const;

export function parseResponsesRequest(body: unknown): ParsedResponsesRequest {
  if (!isObject(body)) throw new InvalidRequestError('The request body must be a JSON object.');
  const model = body['model'];
  if (model === undefined) throw new InvalidRequestError("Missing required parameter: 'model'.", 'model');
  if (!isString(model) || model === '') throw new InvalidRequestError("'model' must be a non-empty string", 'model');
  for (const name of UNSUPPORTED) {
    if (!absent(body[name]) && body[name] !== false) throw new InvalidRequestError(`'${name}' is not supported by this gateway`, name, 'unsupported_parameter');
  }
  const previous = optional(body, 'previous_response_id', isString, 'a string');
  const { tools, dropped } = parseTools(body['tools']);
  return {
    model,
    stream: optional(body, 'stream', isBoolean, 'a boolean') ?? false,
    store: optional(body, 'store', isBoolean, 'a boolean') ?? true,
    previousResponseId: previous ?? null,
    instructions: optional(body, 'instructions', isString, 'a string') ?? null,
    input: parseInput(body['input']),
    tools,
    droppedTools: dropped,
    toolChoice: parseToolChoice(body['tool_choice']),
    parallelToolCalls: optional(body, 'parallel_tool_calls', isBoolean, 'a boolean') ?? true,
    textFormat: parseTextFormat(body['text']),
    maxOutputTokens: optional(body, 'max_output_tokens', (v): v is number => Number.isInteger(v) && (v as number) >= 1, 'an integer ≥ 1') ?? null,
    temperature: optional(body, 'temperature', isNumber, 'a number') ?? null,
    topP: optional(body, 'top_p', isNumber, 'a number') ?? null,
    user: optional(body, 'user', isString, 'a string') ?? null,
    metadata: parseMetadata(body['metadata']),
  };
}

/**
 * The chat request for this turn: the instructions, the stored conversation (when continuing
 * one) and the new input. `conversation` is what a stored response keeps (instructions excluded).
 */
export function toChatRequest(parsed: ParsedResponsesRequest, history: readonly ChatMessage[]): { chat: ChatRequest; conversation: ChatMessage[] } {
  const conversation = history.length === 0 ? parsed.input.slice() : [...history, ...parsed.input];
  const messages: ChatMessage[] = parsed.instructions !== null ? [{ role: 'system', content: parsed.instructions }, ...conversation] : conversation.slice();
  const chat: ChatRequest = { model: parsed.model, messages, stream: parsed.stream };
  // A stream asks for usage so the final `response.completed` carries it.
  if (parsed.stream) chat.stream_options = { include_usage: true };
  if (parsed.tools.length > 0) {
    chat.tools = parsed.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, ...(isString(t.description) ? { description: t.description } : {}), parameters: t.parameters ?? { type: 'object', properties: {} }, ...(typeof t.strict === 'boolean' ? { strict: t.strict } : {}) },
    }));
    chat.tool_choice = typeof parsed.toolChoice === 'string' ? parsed.toolChoice : { type: 'function', function: { name: parsed.toolChoice.name } };
    chat.parallel_tool_calls = parsed.parallelToolCalls;
  } else if (parsed.toolChoice === 'required' || typeof parsed.toolChoice === 'object') {
    throw new InvalidRequestError("'tool_choice' requires at least one function tool in 'tools'", 'tool_choice');
  }
  const format = parsed.textFormat;
  if (format.type === 'json_object') chat.response_format = { type: 'json_object' };
  else if (format.type === 'json_schema') {
    chat.response_format = { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, ...(typeof format.strict === 'boolean' ? { strict: format.strict } : {}), ...(format.description ? { description: format.description } : {}) } } as ChatRequest['response_format'];
  }
  // `max_tokens` rather than `max_completion_tokens`: every OpenAI-compatible server knows it,
  // and the Anthropic and Ollama adapters read either.
  if (parsed.maxOutputTokens !== null) chat.max_tokens = parsed.maxOutputTokens;
  if (parsed.temperature !== null) chat.temperature = parsed.temperature;
  if (parsed.topP !== null) chat.top_p = parsed.topP;
  if (parsed.user !== null) chat.user = parsed.user;
  return { chat, conversation };
}

const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function optional<T>(body: Json, field: string, check: (v: unknown) => v is T, expected: string): T | undefined {
  const value = body[field];
  if (absent(value)) return undefined;
  if (!check(value)) throw new InvalidRequestError(`'${field}' must be ${expected}`, field);
  return value;
}

function parseInput(input: unknown): ChatMessage[] {
  if (input === undefined) throw new InvalidRequestError("Missing required parameter: 'input'.", 'input');
  if (isString(input)) return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) throw new InvalidRequestError("'input' must be a string or an array of input items", 'input');
  if (input.length === 0) throw new InvalidRequestError("'input' must contain at least one item", 'input');
  const messages: ChatMessage[] = [];
  input.forEach((item, i) => {
    const param = `input[${i}]`;
    if (!isObject(item)) throw new InvalidRequestError(`'${param}' must be an object`, param);
    const type = item['type'] ?? (item['role'] !== undefined ? 'message' : undefined);
    switch (type) {
      case 'message':
        messages.push(parseMessage(item, param));
        break;
      case 'function_call':
        addFunctionCall(messages, item, param);
        break;
      case 'function_call_output':
        messages.push({ role: 'tool', tool_call_id: requireString(item, 'call_id', param), content: toolOutput(item['output'], `${param}.output`) });
        break;
      case 'reasoning':
        break;
      default:
        throw new InvalidRequestError(
          `'${param}.type' ${isString(type) ? `'${type}' is not supported` : 'is required'}: this gateway takes message, function_call and function_call_output items`,
          `${param}.type`,
          isString(type) ? 'unsupported_item' : null,
        );
    }
  });
  return messages;
}

function requireString(item: Json, field: string, param: string): string {
  const value = item[field];
  if (!isString(value)) throw new InvalidRequestError(`'${param}.${field}' must be a string`, `${param}.${field}`);
  return value;
}

function parseMessage(item: Json, param: string): ChatMessage {
  const role = item['role'];
  if (!isString(role) || !MESSAGE_ROLES.has(role)) throw new InvalidRequestError(`'${param}.role' must be one of ${[...MESSAGE_ROLES].join(', ')}`, `${param}.role`);
  const content = item['content'];
  const chatRole = role === 'developer' ? 'system' : (role as ChatMessage['role']);
  if (isString(content)) return { role: chatRole, content };
  if (!Array.isArray(content)) throw new InvalidRequestError(`'${param}.content' must be a string or an array of content parts`, `${param}.content`);
  const parts = content.map((part, j) => contentPart(part, `${param}.content[${j}]`));
  // Text alone is sent as one string: every adapter and upstream takes that.
  if (parts.every((p) => p.type === 'text')) return { role: chatRole, content: parts.map((p) => (p as { text: string }).text).join('') };
  if (chatRole !== 'user') throw new InvalidRequestError(`'${param}.content': images are accepted in user messages only`, `${param}.content`);
  return { role: chatRole, content: parts };
}

function contentPart(part: unknown, param: string): ContentPart {
  if (!isObject(part)) throw new InvalidRequestError(`'${param}' must be an object`, param);
  switch (part['type']) {
    case 'input_text':
    case 'output_text':
    case 'text':
      return { type: 'text', text: requireString(part, 'text', param) };
    case 'refusal':
      return { type: 'text', text: requireString(part, 'refusal', param) };
    case 'input_image': {
      const url = part['image_url'];
      if (!isString(url)) throw new InvalidRequestError(`'${param}.image_url' is required (file_id images are not supported by this gateway)`, `${param}.image_url`);
      const detail = part['detail'];
      return { type: 'image_url', image_url: { url, ...(isString(detail) ? { detail } : {}) } };
    }
    default:
      throw new InvalidRequestError(`'${param}.type' must be input_text, output_text or input_image`, `${param}.type`, 'unsupported_content');
  }
}

/** A function call joins the assistant message right before it (text then calls, as chat completions has them). */
function addFunctionCall(messages: ChatMessage[], item: Json, param: string): void {
  const call: ToolCall = {
    id: requireString(item, 'call_id', param),
    type: 'function',
    function: { name: requireString(item, 'name', param), arguments: requireString(item, 'arguments', param) },
  };
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant') {
    (last.tool_calls ??= []).push(call);
    if (last.content === '') last.content = null;
  } else {
    messages.push({ role: 'assistant', content: null, tool_calls: [call] });
  }
}

function toolOutput(output: unknown, param: string): string {
  if (isString(output)) return output;
  if (Array.isArray(output)) {
    return output
      .map((part, j) => {
        const p = contentPart(part, `${param}[${j}]`);
        if (p.type !== 'text') throw new InvalidRequestError(`'${param}[${j}]': a function call output takes text only`, `${param}[${j}]`);
        return p.text;
      })
      .join('');
  }
  throw new InvalidRequestError(`'${param}' must be a string or an array of text parts`, param);
}

function parseTools(tools: unknown): { tools: ResponsesFunctionTool[]; dropped: string[] } {
  if (absent(tools)) return { tools: [], dropped: [] };
  if (!Array.isArray(tools)) throw new InvalidRequestError("'tools' must be an array", 'tools');
  const out: ResponsesFunctionTool[] = [];
  const dropped: string[] = [];
  tools.forEach((tool, i) => {
    const param = `tools[${i}]`;
    if (!isObject(tool) || !isString(tool['type'])) throw new InvalidRequestError(`'${param}.type' is required`, `${param}.type`);
    if (tool['type'] !== 'function') {
      // Hosted tools (web_search, file_search, …) run at OpenAI; a chat upstream has none of them.
      if (!dropped.includes(tool['type'])) dropped.push(tool['type']);
      return;
    }
    const name = tool['name'];
    if (!isString(name) || name === '') throw new InvalidRequestError(`'${param}.name' is required`, `${param}.name`);
    const parameters = tool['parameters'];
    if (!absent(parameters) && !isObject(parameters)) throw new InvalidRequestError(`'${param}.parameters' must be an object (a JSON Schema)`, `${param}.parameters`);
    const description = tool['description'];
    if (!absent(description) && !isString(description)) throw new InvalidRequestError(`'${param}.description' must be a string`, `${param}.description`);
    const strict = tool['strict'];
    out.push({ type: 'function', name, description: (description as string | undefined) ?? null, parameters: (parameters as Json | undefined) ?? null, strict: isBoolean(strict) ? strict : null });
  });
  return { tools: out, dropped };
}

function parseToolChoice(choice: unknown): ResponsesToolChoice {
  if (absent(choice)) return 'auto';
  if (choice === 'none' || choice === 'auto' || choice === 'required') return choice;
  if (isObject(choice) && choice['type'] === 'function') {
    const name = choice['name'];
    if (!isString(name)) throw new InvalidRequestError("'tool_choice.name' is required when tool_choice.type is function", 'tool_choice.name');
    return { type: 'function', name };
  }
  throw new InvalidRequestError("'tool_choice' must be none, auto, required or {\"type\":\"function\",\"name\":…}", 'tool_choice');
}

function parseTextFormat(text: unknown): ResponsesTextFormat {
  if (absent(text)) return { type: 'text' };
  if (!isObject(text)) throw new InvalidRequestError("'text' must be an object", 'text');
  const format = text['format'];
  if (absent(format)) return { type: 'text' };
  if (!isObject(format)) throw new InvalidRequestError("'text.format' must be an object", 'text.format');
  switch (format['type']) {
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      const name = format['name'];
      if (!isString(name) || name === '') throw new InvalidRequestError("'text.format.name' is required for json_schema", 'text.format.name');
      const schema = format['schema'];
      if (!isObject(schema)) throw new InvalidRequestError("'text.format.schema' must be an object (a JSON Schema)", 'text.format.schema');
      const strict = format['strict'];
      const description = format['description'];
      return { type: 'json_schema', name, schema, strict: isBoolean(strict) ? strict : null, ...(isString(description) ? { description } : {}) };
    }
    default:
      throw new InvalidRequestError("'text.format.type' must be text, json_object or json_schema", 'text.format.type');
  }
}

function parseMetadata(metadata: unknown): Record<string, string> {
  if (absent(metadata)) return {};
  if (!isObject(metadata) || !Object.values(metadata).every(isString)) throw new InvalidRequestError("'metadata' must be an object of strings", 'metadata');
  return metadata as Record<string, string>;
}
