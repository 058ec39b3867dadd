/**
 * Checks an Anthropic Messages body before routing, so a malformed request is a 400 in
 * Anthropic's shape naming the bad field, rather than an upstream error or a crash in a
 * translator. Checks what the gateway or a translator reads; unknown fields and unknown block
 * types pass (an Anthropic upstream gets them as sent; the translators skip them).
 */
import type { MessagesRequest } from '@orcest/providers';
import { InvalidRequestError } from '../errors';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isPositiveInteger = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
const TOOL_CHOICES = new Set(['auto', 'any', 'tool', 'none']);

export interface MessagesValidation {
  /** `/v1/messages` requires `max_tokens`, as Anthropic does; `/v1/messages/count_tokens` does not take it. */
  readonly requireMaxTokens: boolean;
}

export function validateMessagesRequest(body: unknown, { requireMaxTokens }: MessagesValidation): MessagesRequest {
  if (!isObject(body)) throw new InvalidRequestError('The request body must be a JSON object.');
  if (!isString(body['model'])) throw invalid('model: Field required (a string)', 'model');
  const maxTokens = body['max_tokens'];
  if (maxTokens === undefined ? requireMaxTokens : !isPositiveInteger(maxTokens)) throw invalid('max_tokens: Field required (an integer ≥ 1)', 'max_tokens');
  validateMessages(body['messages']);
  validateSystem(body['system']);
  optional(body, 'stream', (v) => typeof v === 'boolean', 'a boolean');
  optional(body, 'temperature', isNumber, 'a number');
  optional(body, 'top_p', isNumber, 'a number');
  optional(body, 'top_k', isNumber, 'a number');
  optional(body, 'stop_sequences', (v) => Array.isArray(v) && v.every(isString), 'an array of strings');
  optional(body, 'metadata', (v) => isObject(v) && (v['user_id'] === undefined || v['user_id'] === null || isString(v['user_id'])), 'an object with an optional string user_id');
  validateTools(body['tools']);
  validateToolChoice(body['tool_choice']);
  return body as MessagesRequest;
}

function invalid(message: string, param: string): InvalidRequestError {
  return new InvalidRequestError(message, param);
}

function optional(body: Record<string, unknown>, field: string, check: (v: unknown) => boolean, expected: string): void {
  const value = body[field];
  if (value !== undefined && value !== null && !check(value)) throw invalid(`${field}: must be ${expected}`, field);
}

function validateMessages(messages: unknown): void {
  if (!Array.isArray(messages)) throw invalid('messages: Field required (an array)', 'messages');
  if (messages.length === 0) throw invalid('messages: at least one message is required', 'messages');
  messages.forEach((message, i) => {
    const at = `messages.${i}`;
    if (!isObject(message)) throw invalid(`${at}: must be an object`, at);
    if (message['role'] !== 'user' && message['role'] !== 'assistant') throw invalid(`${at}.role: must be "user" or "assistant"`, `${at}.role`);
    const content = message['content'];
    if (isString(content)) return;
    if (!Array.isArray(content)) throw invalid(`${at}.content: must be a string or an array of content blocks`, `${at}.content`);
    content.forEach((block, j) => validateBlock(block, `${at}.content.${j}`));
  });
}

function validateBlock(block: unknown, at: string): void {
  if (!isObject(block) || !isString(block['type'])) throw invalid(`${at}: must be a content block with a string type`, at);
  switch (block['type']) {
    case 'text':
      if (!isString(block['text'])) throw invalid(`${at}.text: must be a string`, `${at}.text`);
      return;
    case 'image':
      return validateImage(block['source'], `${at}.source`);
    case 'tool_use':
      if (!isString(block['id']) || !isString(block['name'])) throw invalid(`${at}: tool_use needs string id and name`, at);
      if (block['input'] !== undefined && !isObject(block['input'])) throw invalid(`${at}.input: must be an object`, `${at}.input`);
      return;
    case 'tool_result': {
      if (!isString(block['tool_use_id'])) throw invalid(`${at}.tool_use_id: must be a string`, `${at}.tool_use_id`);
      const content = block['content'];
      if (content === undefined || content === null || isString(content)) return;
      if (!Array.isArray(content)) throw invalid(`${at}.content: must be a string or an array of content blocks`, `${at}.content`);
      content.forEach((inner, k) => validateBlock(inner, `${at}.content.${k}`));
      return;
    }
    default:
      // thinking, redacted_thinking, document, and block types newer than this gateway.
      return;
  }
}

function validateImage(source: unknown, at: string): void {
  if (!isObject(source)) throw invalid(`${at}: must be an object`, at);
  if (source['type'] === 'base64' && isString(source['media_type']) && isString(source['data'])) return;
  if (source['type'] === 'url' && isString(source['url'])) return;
  throw invalid(`${at}: must be {type: "base64", media_type, data} or {type: "url", url}`, at);
}

function validateSystem(system: unknown): void {
  if (system === undefined || system === null || isString(system)) return;
  if (!Array.isArray(system) || !system.every((block) => isObject(block) && block['type'] === 'text' && isString(block['text']))) {
    throw invalid('system: must be a string or an array of text blocks', 'system');
  }
}

function validateTools(tools: unknown): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw invalid('tools: must be an array', 'tools');
  tools.forEach((tool, i) => {
    const at = `tools.${i}`;
    if (!isObject(tool) || !isString(tool['name'])) throw invalid(`${at}.name: Field required (a string)`, `${at}.name`);
    if (tool['type'] !== undefined && tool['type'] !== null && !isString(tool['type'])) throw invalid(`${at}.type: must be a string`, `${at}.type`);
    if (tool['input_schema'] !== undefined && !isObject(tool['input_schema'])) throw invalid(`${at}.input_schema: must be an object (a JSON Schema)`, `${at}.input_schema`);
    if (tool['description'] !== undefined && tool['description'] !== null && !isString(tool['description'])) throw invalid(`${at}.description: must be a string`, `${at}.description`);
  });
}

function validateToolChoice(choice: unknown): void {
  if (choice === undefined || choice === null) return;
  if (!isObject(choice) || !TOOL_CHOICES.has(choice['type'] as string)) throw invalid('tool_choice: must be an object with type auto, any, tool or none', 'tool_choice');
  if (choice['type'] === 'tool' && !isString(choice['name'])) throw invalid('tool_choice.name: required when tool_choice.type is "tool"', 'tool_choice.name');
}
