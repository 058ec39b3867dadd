/**
 * The `response` object: its skeleton when a request starts (what `response.created` carries),
 * its completion from a chat-completions answer, and its output read back as the assistant's
 * chat message (what a stored conversation continues from).
 */
import { randomBytes } from 'node:crypto';
import type { ChatCompletion, ChatMessage, FinishReason, ToolCall, Usage } from '@orcest/providers';
import { UpstreamProtocolError } from '@orcest/providers';
import type { FunctionCallItem, OutputItem, OutputMessageItem, ParsedResponsesRequest, ResponseObject, ResponseUsage } from './responses-types';

/** Ids in OpenAI's form (`resp_…`, `msg_…`, `fc_…`): 24 random bytes, unguessable, so an id is no hint to another caller's responses. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(ID_BYTES).toString('hex')}`;
}

/** True when `id` has the shape `newId(prefix)` gives (anything else was never issued here). */
export function isIssuedId(prefix: IdPrefix, id: string): boolean {
  return id.length === prefix.length + 1 + 2 * ID_BYTES && id.startsWith(`${prefix}_`) && HEX.test(id.slice(prefix.length + 1));
}

type IdPrefix = 'resp' | 'msg' | 'fc';
const ID_BYTES = 24;
const HEX = /^[0-9a-f]+$/;

/** Shared by stream and whole answers: the request's echo, in progress, nothing produced yet. */
export function responseSkeleton(parsed: ParsedResponsesRequest, id: string, createdAtSeconds: number, stored: boolean): ResponseObject {
  return {
    id,
    object: 'response',
    created_at: createdAtSeconds,
    status: 'in_progress',
    completed_at: null,
    error: null,
    incomplete_details: null,
    instructions: parsed.instructions,
    max_output_tokens: parsed.maxOutputTokens,
    model: parsed.model,
    output: [],
    parallel_tool_calls: parsed.parallelToolCalls,
    previous_response_id: parsed.previousResponseId,
    store: stored,
    temperature: parsed.temperature,
    top_p: parsed.topP,
    text: { format: parsed.textFormat },
    tool_choice: parsed.toolChoice,
    tools: parsed.tools,
    truncation: 'disabled',
    metadata: parsed.metadata,
    user: parsed.user,
    usage: null,
  };
}

export function toResponseUsage(usage: Usage): ResponseUsage {
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.total_tokens,
  };
}

/** Marks the response finished: `incomplete` when the upstream stopped for length or a filter. */
export function settleResponse(response: ResponseObject, finish: FinishReason | null, usage: Usage | undefined, nowSeconds: number): void {
  if (finish === 'length' || finish === 'content_filter') {
    response.status = 'incomplete';
    response.incomplete_details = { reason: finish === 'length' ? 'max_output_tokens' : 'content_filter' };
  } else {
    response.status = 'completed';
  }
  const itemStatus = response.status === 'completed' ? 'completed' : 'incomplete';
  for (const item of response.output) item.status = itemStatus;
  response.completed_at = nowSeconds;
  if (usage) response.usage = toResponseUsage(usage);
}

export function messageItem(text: string): OutputMessageItem {
  return { type: 'message', id: newId('msg'), status: 'in_progress', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] };
}

export function functionCallItem(callId: string, name: string, args: string): FunctionCallItem {
  return { type: 'function_call', id: newId('fc'), call_id: callId, name, arguments: args, status: 'in_progress' };
}

/** Fills `response` from a chat-completions answer (the JSON every adapter decodes to). */
export function completeFromChat(response: ResponseObject, completionJson: string, nowSeconds: number): void {
  let completion: ChatCompletion;
  try {
    completion = JSON.parse(completionJson) as ChatCompletion;
  } catch {
    throw new UpstreamProtocolError('the upstream answer is not JSON', 'malformed_response');
  }
  const choice = completion.choices?.[0];
  if (!choice?.message) throw new UpstreamProtocolError('the upstream answer has no choices[0].message', 'malformed_response');
  if (typeof completion.model === 'string') response.model = completion.model;
  const { content, tool_calls: calls } = choice.message;
  if (typeof content === 'string' && content !== '') response.output.push(messageItem(content));
  for (const call of calls ?? []) response.output.push(functionCallItem(call.id, call.function.name, call.function.arguments));
  settleResponse(response, choice.finish_reason, completion.usage, nowSeconds);
}

/**
 * A whole `response`'s generated characters, for the usage estimate: its messages' text and its
 * function calls' arguments. Read defensively: the object comes back parsed from its JSON.
 */
export function outputChars(response: unknown): number {
  let chars = 0;
  for (const item of (response as { output?: Array<{ content?: Array<{ text?: unknown }>; arguments?: unknown }> }).output ?? []) {
    if (typeof item.arguments === 'string') chars += item.arguments.length;
    for (const part of item.content ?? []) if (typeof part.text === 'string') chars += part.text.length;
  }
  return chars;
}

/** The response's output as the assistant's turn of a chat conversation. */
export function assistantMessageOf(output: readonly OutputItem[]): ChatMessage {
  let text = '';
  const calls: ToolCall[] = [];
  for (const item of output) {
    if (item.type === 'message') for (const part of item.content) text += part.text;
    else calls.push({ id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } });
  }
  return calls.length > 0 ? { role: 'assistant', content: text === '' ? null : text, tool_calls: calls } : { role: 'assistant', content: text };
}
