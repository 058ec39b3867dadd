/**
 * An OpenAI-protocol stream, decoded (by the OpenAI or Ollama adapter's `StreamDecoder`) into
 * OpenAI chunks, re-encoded as Anthropic's SSE events for a `/v1/messages` client:
 *
 *   message_start, ping, then per block content_block_start / content_block_delta… /
 *   content_block_stop (text as `text_delta`, tool arguments as `input_json_delta`), then
 *   message_delta (stop reason, usage) and message_stop.
 *
 * Fragments are forwarded one for one as they come, never buffered: tool-argument fragments
 * are passed on as the same text, so the client's concatenation is exactly the upstream's
 * arguments whatever their split points (mid escape, mid character). `message_delta` waits for
 * the upstream's end marker, because OpenAI-protocol servers send usage after the finish reason.
 */
import type { StreamDecoder, StreamEvent, WireStream } from '../../contract';
import { UpstreamProtocolError } from '../../errors';
import type { ChatCompletionChunk, Usage } from '../../openai-types';
import { toolUseId } from './chat-to-message';
import { sseEvent } from './messages-sse';
import { messageId, toStopReason, type StopReason } from './stop-reason';

export interface ChatToMessagesOptions {
  /** Reported until the first chunk names the model. */
  readonly model: string;
  /** `message_start` must carry input tokens before the upstream reported any: the gateway's estimate. */
  readonly estimatedInputTokens: number;
}

type OpenBlock = { readonly kind: 'text' } | { readonly kind: 'tool'; readonly toolIndex: number };

export class ChatToMessagesStream implements WireStream {
  private startSent = false;
  private closed = false;
  private substantiveSeen = false;
  private blockIndex = -1;
  private open: OpenBlock | undefined;
  private stopReason: StopReason = 'end_turn';

  constructor(
    private readonly decoder: StreamDecoder,
    private readonly options: ChatToMessagesOptions,
  ) {}

  get finished(): boolean {
    return this.decoder.finished;
  }

  get started(): boolean {
    return this.substantiveSeen;
  }

  get usage(): Usage | undefined {
    return this.decoder.usage;
  }

  get events(): number {
    return this.decoder.events;
  }

  push(bytes: Buffer): string {
    if (this.closed) return '';
    let events: StreamEvent[];
    try {
      events = this.decoder.push(bytes);
    } catch (error) {
      if (error instanceof UpstreamProtocolError) error.wireBefore = this.encode(error.decodedBefore);
      throw error;
    }
    const wire = this.encode(events);
    return this.decoder.finished ? wire + this.close() : wire;
  }

  end(): string {
    if (this.closed) return '';
    let events: StreamEvent[];
    try {
      events = this.decoder.end();
    } catch (error) {
      if (error instanceof UpstreamProtocolError) error.wireBefore = this.encode(error.decodedBefore);
      throw error;
    }
    return this.encode(events) + this.close();
  }

  private encode(events: readonly StreamEvent[]): string {
    let out = '';
    for (const event of events) {
      if (event.substantive) this.substantiveSeen = true;
      out += this.encodeChunk(JSON.parse(event.json) as ChatCompletionChunk);
    }
    return out;
  }

  private encodeChunk(chunk: ChatCompletionChunk): string {
    let out = this.startSent ? '' : this.start(chunk);
    const choice = chunk.choices?.[0];
    if (!choice) return out;
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string' && delta.content !== '') {
      if (this.open?.kind !== 'text') out += this.openBlock({ kind: 'text' }, { type: 'text', text: '' });
      out += sseEvent('content_block_delta', { type: 'content_block_delta', index: this.blockIndex, delta: { type: 'text_delta', text: delta.content } });
    }
    for (const call of delta.tool_calls ?? []) {
      const open = this.open;
      if (open?.kind !== 'tool' || open.toolIndex !== call.index) {
        out += this.openBlock({ kind: 'tool', toolIndex: call.index }, { type: 'tool_use', id: toolUseId(call.id), name: call.function?.name ?? '', input: {} });
      }
      const fragment = call.function?.arguments;
      if (typeof fragment === 'string' && fragment !== '') {
        out += sseEvent('content_block_delta', { type: 'content_block_delta', index: this.blockIndex, delta: { type: 'input_json_delta', partial_json: fragment } });
      }
    }
    if (choice.finish_reason) this.stopReason = toStopReason(choice.finish_reason);
    return out;
  }

  private start(chunk: ChatCompletionChunk): string {
    this.startSent = true;
    const message = {
      id: messageId(chunk.id),
      type: 'message',
      role: 'assistant',
      model: typeof chunk.model === 'string' && chunk.model !== '' ? chunk.model : this.options.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: this.options.estimatedInputTokens, output_tokens: 0 },
    };
    return sseEvent('message_start', { type: 'message_start', message }) + sseEvent('ping', { type: 'ping' });
  }

  private openBlock(block: OpenBlock, contentBlock: object): string {
    const out = this.closeBlock();
    this.open = block;
    this.blockIndex++;
    return out + sseEvent('content_block_start', { type: 'content_block_start', index: this.blockIndex, content_block: contentBlock });
  }

  private closeBlock(): string {
    if (this.open === undefined) return '';
    this.open = undefined;
    return sseEvent('content_block_stop', { type: 'content_block_stop', index: this.blockIndex });
  }

  /** The upstream's end marker came: close the last block, then the message with its stop reason and usage. */
  private close(): string {
    this.closed = true;
    let out = this.startSent ? '' : this.start({ id: '', object: 'chat.completion.chunk', created: 0, model: this.options.model, choices: [] });
    // A message without any content still has one (empty) text block, as Anthropic sends it.
    if (this.blockIndex < 0) out += this.openBlock({ kind: 'text' }, { type: 'text', text: '' });
    out += this.closeBlock();
    const usage = this.decoder.usage;
    const counts = usage ? { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens } : { output_tokens: 0 };
    out += sseEvent('message_delta', { type: 'message_delta', delta: { stop_reason: this.stopReason, stop_sequence: null }, usage: counts });
    return out + sseEvent('message_stop', { type: 'message_stop' });
  }
}
