/**
 * Anthropic Messages API, streamed: the typed SSE events (`message_start`,
 * `content_block_*`, `message_delta`, `message_stop`) rewritten as OpenAI
 * `chat.completion.chunk`s. Text and tool-input fragments are forwarded one for one, never
 * buffered, so a client sees tokens as soon as Anthropic sends them. The stream is complete at
 * `message_stop`; anything else ending it is a cut stream.
 */
import type { StreamDecoder, StreamEvent } from '../contract';
import { tooLarge, UpstreamProtocolError, withDecodedBefore } from '../errors';
import { decodeEach } from '../shared/decode-each';
import type { ChatCompletionChunk, FinishReason, ToolCallDelta, Usage } from '../openai-types';
import { excerpt, isRecord, tryParseJson } from '../shared/json';
import { SseParser } from '../shared/sse-parser';
import { readTokenCounts, toFinishReason, toUsage } from './anthropic-wire';

type Delta = ChatCompletionChunk['choices'][number]['delta'];

export interface AnthropicStreamOptions {
  /** The client asked for `stream_options.include_usage`: end with a `choices: []` usage chunk. */
  readonly includeUsage: boolean;
  /** Used until `message_start` names the model that answers. */
  readonly model: string;
  /** See `StreamOptions.maxEventBytes`. Default: no cap. */
  readonly maxEventBytes?: number;
}

interface ToolBlock {
  /** OpenAI tool-call index: counts tool_use blocks only, where Anthropic's block index counts text too. */
  readonly index: number;
  hasArguments: boolean;
}

export class AnthropicStreamDecoder implements StreamDecoder {
  private readonly parser = new SseParser();
  private readonly created = Math.floor(Date.now() / 1000);
  private id: string | undefined;
  private model: string;
  private done = false;
  private promptTokens: number | undefined;
  private completionTokens: number | undefined;
  private readonly toolBlocks = new Map<number, ToolBlock>();

  constructor(private readonly options: AnthropicStreamOptions) {
    this.model = options.model;
  }

  get finished(): boolean {
    return this.done;
  }

  get events(): number {
    return this.parser.dispatched;
  }

  /** Anthropic reports input tokens in `message_start` and output tokens in `message_delta`, whether or not the client asked. */
  get usage(): Usage | undefined {
    if (this.promptTokens === undefined && this.completionTokens === undefined) return undefined;
    return toUsage({ prompt: this.promptTokens, completion: this.completionTokens });
  }

  push(bytes: Buffer): StreamEvent[] {
    const events = decodeEach(this.parser.push(bytes), (message, out) => {
      if (this.done) return;
      const data = tryParseJson(message.data);
      if (!isRecord(data)) throw new UpstreamProtocolError(`upstream sent a malformed stream event: ${excerpt(message.data)}`, 'malformed_chunk');
      // The payload's own `type` is authoritative; the SSE `event:` line only repeats it.
      const type = typeof data['type'] === 'string' ? data['type'] : message.event;
      this.decodeEvent(type, data, message.data, out);
    });
    const max = this.options.maxEventBytes ?? Infinity;
    if (this.parser.pendingChars > max) throw withDecodedBefore(tooLarge('a stream event', max), events);
    return events;
  }

  end(): StreamEvent[] {
    if (!this.done) throw new UpstreamProtocolError('upstream stream ended before message_stop', 'stream_cut');
    return [];
  }

  private decodeEvent(type: string | undefined, data: Record<string, unknown>, raw: string, out: StreamEvent[]): void {
    switch (type) {
      case 'message_start':
        return this.onMessageStart(data, raw, out);
      case 'content_block_start':
        return this.onBlockStart(data, raw, out);
      case 'content_block_delta':
        return this.onBlockDelta(data, raw, out);
      case 'content_block_stop':
        return this.onBlockStop(data, raw, out);
      case 'message_delta':
        return this.onMessageDelta(data, raw, out);
      case 'message_stop':
        return this.onMessageStop(raw, out);
      case 'error':
        return this.onError(data);
      default:
        // `ping` keep-alives and event types newer than this adapter.
        return;
    }
  }

  private onMessageStart(data: Record<string, unknown>, raw: string, out: StreamEvent[]): void {
    const message = data['message'];
    if (!isRecord(message) || typeof message['id'] !== 'string') throw malformed('message_start without a message id', raw);
    this.id = `chatcmpl-${message['id']}`;
    if (typeof message['model'] === 'string') this.model = message['model'];
    this.countTokens(message['usage']);
    out.push(this.event({ role: 'assistant', content: '' }, null, false, raw));
  }

  private onBlockStart(data: Record<string, unknown>, raw: string, out: StreamEvent[]): void {
    const block = data['content_block'];
    const blockIndex = data['index'];
    if (!isRecord(block) || typeof blockIndex !== 'number') throw malformed('content_block_start without index or block', raw);
    if (block['type'] === 'text') {
      // Anthropic opens text blocks empty; should one ever carry text, it must not be lost.
      if (typeof block['text'] === 'string' && block['text'] !== '') out.push(this.event({ content: block['text'] }, null, true, raw));
    } else if (block['type'] === 'tool_use') {
      if (typeof block['id'] !== 'string' || typeof block['name'] !== 'string') throw malformed('tool_use block without id or name', raw);
      const tool: ToolBlock = { index: this.toolBlocks.size, hasArguments: false };
      this.toolBlocks.set(blockIndex, tool);
      const call: ToolCallDelta = { index: tool.index, id: block['id'], type: 'function', function: { name: block['name'], arguments: '' } };
      out.push(this.event({ tool_calls: [call] }, null, true, raw));
    }
    // thinking and server-tool blocks have no OpenAI counterpart.
  }

  private onBlockDelta(data: Record<string, unknown>, raw: string, out: StreamEvent[]): void {
    const delta = data['delta'];
    if (!isRecord(delta)) throw malformed('content_block_delta without delta', raw);
    if (delta['type'] === 'text_delta') {
      const text = delta['text'];
      if (typeof text !== 'string') throw malformed('text_delta without text', raw);
      out.push(this.event({ content: text }, null, text !== '', raw));
    } else if (delta['type'] === 'input_json_delta') {
      const fragment = delta['partial_json'];
      const tool = this.toolBlocks.get(Number(data['index']));
      if (typeof fragment !== 'string' || !tool) throw malformed('input_json_delta for no open tool_use block', raw);
      // An empty fragment adds nothing to the arguments: no chunk.
      if (fragment === '') return;
      tool.hasArguments = true;
      out.push(this.event({ tool_calls: [{ index: tool.index, function: { arguments: fragment } }] }, null, true, raw));
    }
    // thinking_delta, signature_delta and citations_delta are not forwarded.
  }

  /**
   * A tool without parameters streams no input at all, and `""` is not JSON: the client gets
   * `{}`, exactly what the whole-answer decoder gives for the same call.
   */
  private onBlockStop(data: Record<string, unknown>, raw: string, out: StreamEvent[]): void {
    const tool = this.toolBlocks.get(Number(data['index']));
    if (!tool || tool.hasArguments) return;
    tool.hasArguments = true;
    out.push(this.event({ tool_calls: [{ index: tool.index, function: { arguments: '{}' } }] }, null, true, raw));
  }

  private onMessageDelta(data: Record<string, unknown>, raw: string, out: StreamEvent[]): void {
    const delta = data['delta'];
    if (!isRecord(delta)) throw malformed('message_delta without delta', raw);
    this.countTokens(data['usage']);
    out.push(this.event({}, toFinishReason(delta['stop_reason']), true, raw));
  }

  private onMessageStop(raw: string, out: StreamEvent[]): void {
    const id = this.messageId(raw);
    this.done = true;
    if (!this.options.includeUsage) return;
    const usage = toUsage({ prompt: this.promptTokens, completion: this.completionTokens });
    const chunk: ChatCompletionChunk = { id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage };
    out.push({ json: JSON.stringify(chunk), substantive: false, usage });
  }

  private onError(data: Record<string, unknown>): never {
    const error = data['error'];
    const message = isRecord(error) && typeof error['message'] === 'string' ? error['message'] : excerpt(JSON.stringify(error ?? data));
    throw new UpstreamProtocolError(`upstream sent an error in its stream: ${message}`, 'upstream_error_event');
  }

  /** Anthropic's counts are cumulative: a later event never lowers one, but may be the first to carry it. */
  private countTokens(value: unknown): void {
    const counts = readTokenCounts(value);
    if (counts.prompt !== undefined) this.promptTokens = Math.max(this.promptTokens ?? 0, counts.prompt);
    if (counts.completion !== undefined) this.completionTokens = Math.max(this.completionTokens ?? 0, counts.completion);
  }

  private event(delta: Delta, finishReason: FinishReason | null, substantive: boolean, raw: string): StreamEvent {
    const chunk: ChatCompletionChunk = {
      id: this.messageId(raw),
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    };
    return { json: JSON.stringify(chunk), substantive };
  }

  /** An event before `message_start` has no message to belong to: the upstream is not speaking Anthropic. */
  private messageId(raw: string): string {
    if (this.id === undefined) throw malformed('event before message_start', raw);
    return this.id;
  }
}

function malformed(what: string, raw: string): UpstreamProtocolError {
  return new UpstreamProtocolError(`upstream sent a malformed stream event (${what}): ${excerpt(raw)}`, 'malformed_chunk');
}
