/**
 * Ollama native chat protocol, requests: an OpenAI chat request becomes a `POST /api/chat`
 * body. Sampling parameters move into `options`, images into `images`, tool-call arguments
 * from JSON text to objects, and `response_format` into `format`.
 */
import type { UpstreamRequest, UpstreamTarget } from '../contract';
import type { ChatMessage, ChatRequest } from '../openai-types';
import { isRecord, tryParseJson } from '../shared/json';
import type { OllamaChatBody, OllamaMessage, OllamaOptions, OllamaToolCall } from './ollama-wire';

export function buildOllamaRequest(request: ChatRequest, target: UpstreamTarget, stream: boolean): UpstreamRequest {
  const body: OllamaChatBody = { model: target.model, messages: toOllamaMessages(request.messages), stream };
  const options = toOptions(request);
  if (options) body.options = options;
  // Ollama has no tool_choice; "none" is honoured by not offering the tools at all.
  if (Array.isArray(request.tools) && request.tools.length > 0 && request.tool_choice !== 'none') body.tools = request.tools;
  const format = toFormat(request.response_format);
  if (format !== undefined) body.format = format;
  const keepAlive = request['keep_alive'];
  if (typeof keepAlive === 'string' || typeof keepAlive === 'number') body.keep_alive = keepAlive;

  const headers: Record<string, string> = { 'content-type': 'application/json', accept: stream ? 'application/x-ndjson' : 'application/json' };
  // Plain Ollama ignores it; an Ollama behind an auth proxy needs it.
  if (target.apiKey) headers['authorization'] = `Bearer ${target.apiKey}`;
  return { path: '/api/chat', headers, body: JSON.stringify(body) };
}

function toOllamaMessages(messages: readonly ChatMessage[]): OllamaMessage[] {
  // Ollama names a tool result by function name, OpenAI by call id: remember which id was which.
  const toolNames = new Map<string, string>();
  return messages.map((message) => {
    const { text, images } = splitContent(message.content);
    const out: OllamaMessage = { role: message.role === 'developer' ? 'system' : message.role, content: text };
    if (images.length > 0) out.images = images;
    if (message.role === 'assistant') {
      const calls = toOllamaToolCalls(message.tool_calls, toolNames);
      if (calls.length > 0) out.tool_calls = calls;
    }
    if (message.role === 'tool') {
      const name = (typeof message.tool_call_id === 'string' ? toolNames.get(message.tool_call_id) : undefined) ?? message.name;
      if (typeof name === 'string' && name !== '') out.tool_name = name;
    }
    return out;
  });
}

function toOllamaToolCalls(calls: unknown, toolNames: Map<string, string>): OllamaToolCall[] {
  if (!Array.isArray(calls)) return [];
  const out: OllamaToolCall[] = [];
  for (const call of calls) {
    const fn = isRecord(call) ? call['function'] : undefined;
    if (!isRecord(call) || !isRecord(fn) || typeof fn['name'] !== 'string') continue;
    if (typeof call['id'] === 'string') toolNames.set(call['id'], fn['name']);
    out.push({ function: { name: fn['name'], arguments: parseArguments(fn['arguments']) } });
  }
  return out;
}

function splitContent(content: ChatMessage['content']): { text: string; images: string[] } {
  if (typeof content === 'string') return { text: content, images: [] };
  if (!Array.isArray(content)) return { text: '', images: [] };
  const texts: string[] = [];
  const images: string[] = [];
  // Parts come from the client as parsed JSON: read them defensively, whatever the declared type.
  for (const part of content as unknown[]) {
    if (!isRecord(part)) continue;
    if (part['type'] === 'text' && typeof part['text'] === 'string') texts.push(part['text']);
    else if (part['type'] === 'image_url') {
      const imageUrl = part['image_url'];
      const image = dataUrlBase64(isRecord(imageUrl) ? imageUrl['url'] : imageUrl);
      // Ollama only takes inline images; a remote URL cannot be passed on, so it is dropped.
      if (image !== undefined) images.push(image);
    }
  }
  // Parts are separate blocks: a newline keeps the last word of one from gluing onto the next.
  return { text: texts.join('\n'), images };
}

/** The base64 payload of a `data:` URL (re-encoded when the URL carries it percent-encoded). */
function dataUrlBase64(url: unknown): string | undefined {
  if (typeof url !== 'string' || !url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma === -1) return undefined;
  const meta = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  if (/;base64$/i.test(meta)) return payload;
  try {
    return Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  } catch {
    return undefined;
  }
}

/** Ollama wants the arguments as an object; text that is not a JSON object becomes `{}` rather than failing the call. */
function parseArguments(text: unknown): Record<string, unknown> {
  const parsed = typeof text === 'string' ? tryParseJson(text) : text;
  return isRecord(parsed) ? parsed : {};
}

function toOptions(request: ChatRequest): OllamaOptions | undefined {
  const options: OllamaOptions = {};
  // Clients often send `null` for "unset": only numbers and strings count.
  const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
  const set = <K extends keyof OllamaOptions>(key: K, value: OllamaOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('temperature', number(request.temperature));
  set('top_p', number(request.top_p));
  set('seed', number(request.seed));
  set('stop', toStop(request.stop));
  set('num_predict', number(request.max_completion_tokens) ?? number(request.max_tokens));
  set('presence_penalty', number(request['presence_penalty']));
  set('frequency_penalty', number(request['frequency_penalty']));
  return Object.keys(options).length > 0 ? options : undefined;
}

function toStop(stop: unknown): string[] | undefined {
  if (typeof stop === 'string') return [stop];
  if (!Array.isArray(stop)) return undefined;
  const sequences = stop.filter((s): s is string => typeof s === 'string');
  return sequences.length > 0 ? sequences : undefined;
}

function toFormat(responseFormat: ChatRequest['response_format']): OllamaChatBody['format'] {
  if (!responseFormat) return undefined;
  if (responseFormat.type === 'json_object') return 'json';
  if (responseFormat.type === 'json_schema') return responseFormat.json_schema?.schema ?? 'json';
  return undefined;
}
