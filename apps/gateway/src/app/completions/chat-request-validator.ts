/**
 * Checks a chat-completions body before any upstream sees it, so a malformed request is a 400
 * naming the bad parameter rather than an upstream error or a crash. Checks types only where
 * the gateway or an adapter depends on them; unknown fields pass through untouched.
 */
import type { ChatRequest } from '@orcest/providers';
import { InvalidRequestError } from '../errors';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

type Check = (value: unknown) => boolean;
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isInteger: Check = (v) => Number.isInteger(v);
const isBoolean: Check = (v) => typeof v === 'boolean';
const isString: Check = (v) => typeof v === 'string';
const isObject: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStop: Check = (v) => typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string'));

const OPTIONAL_FIELDS: ReadonlyArray<readonly [string, Check, string]> = [
  ['stream', isBoolean, 'a boolean'],
  ['temperature', isNumber, 'a number'],
  ['top_p', isNumber, 'a number'],
  ['n', (v) => isInteger(v) && (v as number) >= 1, 'an integer ≥ 1'],
  ['max_tokens', (v) => isInteger(v) && (v as number) >= 1, 'an integer ≥ 1'],
  ['max_completion_tokens', (v) => isInteger(v) && (v as number) >= 1, 'an integer ≥ 1'],
  ['presence_penalty', isNumber, 'a number'],
  ['frequency_penalty', isNumber, 'a number'],
  ['seed', isInteger, 'an integer'],
  ['stop', isStop, 'a string or an array of strings'],
  ['user', isString, 'a string'],
  ['stream_options', isObject, 'an object'],
  ['response_format', isObject, 'an object'],
  ['parallel_tool_calls', isBoolean, 'a boolean'],
];

const TOOL_CHOICES = new Set(['none', 'auto', 'required']);

export function validateChatRequest(body: unknown): ChatRequest {
  if (!isObject(body)) throw new InvalidRequestError('The request body must be a JSON object.');
  const request = body as Record<string, unknown>;
  if (request['model'] === undefined) throw new InvalidRequestError('you must provide a model parameter', 'model');
  if (!isString(request['model'])) throw new InvalidRequestError("'model' must be a string", 'model');
  validateMessages(request['messages']);
  for (const [field, check, expected] of OPTIONAL_FIELDS) {
    const value = request[field];
    if (value !== undefined && value !== null && !check(value)) throw new InvalidRequestError(`'${field}' must be ${expected}`, field);
  }
  validateTools(request['tools']);
  validateToolChoice(request['tool_choice']);
  return request as ChatRequest;
}

function validateMessages(messages: unknown): void {
  if (messages === undefined) throw new InvalidRequestError("Missing required parameter: 'messages'.", 'messages');
  if (!Array.isArray(messages)) throw new InvalidRequestError("'messages' must be an array", 'messages');
  if (messages.length === 0) throw new InvalidRequestError("'messages' must contain at least one message", 'messages');
  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    if (!isObject(message)) throw new InvalidRequestError(`'${param}' must be an object`, param);
    const m = message as Record<string, unknown>;
    if (!isString(m['role']) || !ROLES.has(m['role'] as string)) {
      throw new InvalidRequestError(`'${param}.role' must be one of ${[...ROLES].join(', ')}`, `${param}.role`);
    }
    const content = m['content'];
    const hasToolCalls = Array.isArray(m['tool_calls']) && (m['tool_calls'] as unknown[]).length > 0;
    if (content === undefined || content === null) {
      if (!(m['role'] === 'assistant' && (hasToolCalls || content === null))) {
        throw new InvalidRequestError(`'${param}.content' is required`, `${param}.content`);
      }
    } else if (!isString(content) && !(Array.isArray(content) && content.every((part) => isObject(part) && isString((part as Record<string, unknown>)['type'])))) {
      throw new InvalidRequestError(`'${param}.content' must be a string or an array of content parts`, `${param}.content`);
    }
    if (m['tool_calls'] !== undefined) validateToolCalls(m['tool_calls'], `${param}.tool_calls`);
    if (m['role'] === 'tool' && !isString(m['tool_call_id'])) {
      throw new InvalidRequestError(`'${param}.tool_call_id' is required for tool messages`, `${param}.tool_call_id`);
    }
  });
}

function validateToolCalls(calls: unknown, param: string): void {
  if (!Array.isArray(calls)) throw new InvalidRequestError(`'${param}' must be an array`, param);
  calls.forEach((call, i) => {
    const fn = isObject(call) ? (call as Record<string, unknown>)['function'] : undefined;
    if (!isObject(fn) || !isString((fn as Record<string, unknown>)['name']) || !isString((fn as Record<string, unknown>)['arguments'])) {
      throw new InvalidRequestError(`'${param}[${i}]' must have function.name and function.arguments strings`, `${param}[${i}]`);
    }
  });
}

/**
 * Tool definitions are translated for Anthropic and Ollama: every field a translator reads is
 * checked here, so a bad shape is this 400 rather than a TypeError (or garbage) further on.
 */
function validateTools(tools: unknown): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw new InvalidRequestError("'tools' must be an array", 'tools');
  tools.forEach((tool, i) => {
    const param = `tools[${i}]`;
    if (!isObject(tool)) throw new InvalidRequestError(`'${param}' must be an object`, param);
    const t = tool as Record<string, unknown>;
    if (t['type'] !== undefined && !isString(t['type'])) throw new InvalidRequestError(`'${param}.type' must be a string`, `${param}.type`);
    const fn = t['function'];
    if (!isObject(fn) || !isString((fn as Record<string, unknown>)['name'])) {
      throw new InvalidRequestError(`'${param}.function.name' is required`, `${param}.function.name`);
    }
    const f = fn as Record<string, unknown>;
    if (f['parameters'] !== undefined && f['parameters'] !== null && !isObject(f['parameters'])) {
      throw new InvalidRequestError(`'${param}.function.parameters' must be an object (a JSON Schema)`, `${param}.function.parameters`);
    }
    if (f['description'] !== undefined && f['description'] !== null && !isString(f['description'])) {
      throw new InvalidRequestError(`'${param}.function.description' must be a string`, `${param}.function.description`);
    }
  });
}

/** `none`, `auto`, `required`, or an object with a `type`; a `function` choice must name its function. */
function validateToolChoice(choice: unknown): void {
  if (choice === undefined || choice === null) return;
  if (isString(choice)) {
    if (!TOOL_CHOICES.has(choice as string)) throw new InvalidRequestError(`'tool_choice' must be one of ${[...TOOL_CHOICES].join(', ')} or an object`, 'tool_choice');
    return;
  }
  if (!isObject(choice)) throw new InvalidRequestError("'tool_choice' must be a string or an object", 'tool_choice');
  const c = choice as Record<string, unknown>;
  if (!isString(c['type'])) throw new InvalidRequestError("'tool_choice.type' is required", 'tool_choice.type');
  if (c['type'] === 'function') {
    const fn = c['function'];
    if (!isObject(fn) || !isString((fn as Record<string, unknown>)['name'])) {
      throw new InvalidRequestError("'tool_choice.function.name' is required when tool_choice.type is function", 'tool_choice.function.name');
    }
  }
}
