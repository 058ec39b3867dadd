/**
 * A chat-completions stream (OpenAI's `data: {chunk}` SSE, which every adapter's wire stream
 * produces) turned into the Responses API's typed events, incrementally: each chunk's text or
 * tool-call arguments go out as `response.output_text.delta` / `response.function_call_arguments.delta`
 * as soon as they arrive.
 *
 * Order of events, as OpenAI sends them: `response.created`, `response.in_progress`; per output
 * item `response.output_item.added` (+ `response.content_part.added` for a message), its deltas;
 * at the end each item's `…done` events in output order, then `response.completed` (or
 * `response.incomplete` when the model stopped for length or a filter). Every event carries a
 * `sequence_number` from 0. Items are closed at the end rather than when the next one starts:
 * some upstreams interleave parallel tool calls, and a delta after its item's `done` is invalid.
 *
 * After a failure mid-stream the stream ends with an `error` event and `response.failed` (the
 * response so far, `status: "failed"`), never `response.completed`.
 */
import { SseParser, UpstreamProtocolError, type ChatCompletionChunk, type FinishReason, type Usage, type Wire, type WireStream } from '@orcest/providers';
import { functionCallItem, messageItem, newId, settleResponse, toResponseUsage } from './response-object';
import type { FunctionCallItem, OutputMessageItem, ResponseObject } from './responses-types';

interface OpenItem<T> {
  readonly item: T;
  readonly index: number;
}

export class ResponsesStreamTranslator {
  private sequence = 0;
  private readonly parser = new SseParser();
  private opened = false;
  private ended = false;
  private message: OpenItem<OutputMessageItem> | undefined;
  private readonly calls = new Map<number, OpenItem<FunctionCallItem>>();
  private finish: FinishReason | null = null;
  private usage: Usage | undefined;

  constructor(
    /** The skeleton (`responseSkeleton`), filled in as the stream goes. */
    readonly response: ResponseObject,
    private readonly nowSeconds: () => number,
    /** Told once, when `response.completed`/`response.incomplete` is written. */
    private readonly onComplete: (response: ResponseObject) => void = () => undefined,
  ) {}

  /** True once the final event was written. */
  get completed(): boolean {
    return this.ended;
  }

  /** Chat-completions SSE bytes in, Responses SSE text out (the opening events come with the first call). */
  push(wire: Wire): string {
    let out = this.opened ? '' : this.open();
    if (wire.length === 0 || this.ended) return out;
    for (const message of this.parser.push(wire)) {
      if (message.data === '[DONE]') {
        out += this.close();
        break;
      }
      out += this.chunk(JSON.parse(message.data) as ChatCompletionChunk);
    }
    return out;
  }

  /** The end of a stream that failed after it began: an `error` event and `response.failed`. */
  fail(code: string, message: string): string {
    let out = this.opened ? '' : this.open();
    if (this.ended) return out;
    this.ended = true;
    out += this.event('error', { type: 'error', code, message, param: null });
    const response = this.response;
    response.status = 'failed';
    response.error = { code: 'server_error', message };
    for (const item of response.output) item.status = 'incomplete';
    if (this.usage) response.usage = toResponseUsage(this.usage);
    return out + this.event('response.failed', { type: 'response.failed', response });
  }

  private open(): string {
    this.opened = true;
    const response = this.response;
    return this.event('response.created', { type: 'response.created', response }) + this.event('response.in_progress', { type: 'response.in_progress', response });
  }

  private chunk(chunk: ChatCompletionChunk): string {
    let out = '';
    if (chunk.usage) this.usage = chunk.usage;
    if (typeof chunk.model === 'string' && chunk.model !== '') this.response.model = chunk.model;
    const choice = chunk.choices?.[0];
    if (!choice) return out;
    const { content, tool_calls: calls } = choice.delta ?? {};
    if (typeof content === 'string' && content !== '') out += this.text(content);
    for (const delta of calls ?? []) {
      let call = this.calls.get(delta.index);
      if (call === undefined) {
        const item = functionCallItem(delta.id ?? newId('fc').replace('fc_', 'call_'), delta.function?.name ?? '', '');
        call = { item, index: this.response.output.push(item) - 1 };
        this.calls.set(delta.index, call);
        out += this.event('response.output_item.added', { type: 'response.output_item.added', output_index: call.index, item });
      } else if (delta.function?.name) {
        call.item.name += delta.function.name;
      }
      const args = delta.function?.arguments;
      if (args) {
        call.item.arguments += args;
        out += this.delta('response.function_call_arguments.delta', call.item.id, call.index, '', args);
      }
    }
    if (choice.finish_reason) this.finish = choice.finish_reason;
    return out;
  }

  private text(delta: string): string {
    let out = '';
    let message = this.message;
    if (message === undefined) {
      const item = messageItem('');
      message = this.message = { item, index: this.response.output.push(item) - 1 };
      // The SDKs build their snapshot from `added` events: the item comes without its part, which `content_part.added` adds.
      out += this.event('response.output_item.added', { type: 'response.output_item.added', output_index: message.index, item: { ...item, content: [] } });
      out += this.event('response.content_part.added', { type: 'response.content_part.added', item_id: item.id, output_index: message.index, content_index: 0, part: item.content[0] });
    }
    message.item.content[0].text += delta;
    return out + this.delta('response.output_text.delta', message.item.id, message.index, ',"content_index":0', delta, ',"logprobs":[]');
  }

  private close(): string {
    this.ended = true;
    const response = this.response;
    settleResponse(response, this.finish, this.usage, this.nowSeconds());
    let out = '';
    response.output.forEach((item, index) => {
      if (item.type === 'message') {
        const part = item.content[0];
        out += this.event('response.output_text.done', { type: 'response.output_text.done', item_id: item.id, output_index: index, content_index: 0, text: part.text, logprobs: [] });
        out += this.event('response.content_part.done', { type: 'response.content_part.done', item_id: item.id, output_index: index, content_index: 0, part });
      } else {
        out += this.event('response.function_call_arguments.done', { type: 'response.function_call_arguments.done', item_id: item.id, output_index: index, name: item.name, arguments: item.arguments });
      }
      out += this.event('response.output_item.done', { type: 'response.output_item.done', output_index: index, item });
    });
    const type = response.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    out += this.event(type, { type, response });
    this.onComplete(response);
    return out;
  }

  /**
   * A delta event, one per upstream chunk: written from a template with only the delta
   * escaped, rather than an object stringified (a third of the translation's time per chunk in
   * a micro-benchmark). Ids are `msg_`/`fc_` + hex: nothing to escape.
   */
  private delta(type: string, itemId: string, outputIndex: number, middle: string, delta: string, tail = ''): string {
    return `event: ${type}\ndata: {"type":"${type}","item_id":"${itemId}","output_index":${outputIndex}${middle},"delta":${JSON.stringify(delta)}${tail},"sequence_number":${this.sequence++}}\n\n`;
  }

  private event(type: string, body: Record<string, unknown>): string {
    body['sequence_number'] = this.sequence++;
    return `event: ${type}\ndata: ${JSON.stringify(body)}\n\n`;
  }
}

/**
 * An adapter's wire stream with its output translated: what the gateway's stream writer drives
 * for a Responses client. Progress, end and usage are the inner stream's; a protocol error keeps
 * its bytes-due-before, translated.
 */
export class ResponsesWireStream implements WireStream {
  constructor(
    private readonly inner: WireStream,
    readonly translator: ResponsesStreamTranslator,
  ) {}

  push(bytes: Buffer): Wire {
    return this.translate(() => this.inner.push(bytes));
  }

  end(): Wire {
    return this.translate(() => this.inner.end());
  }

  get finished(): boolean {
    return this.inner.finished;
  }

  get started(): boolean {
    return this.inner.started;
  }

  get usage(): Usage | undefined {
    return this.inner.usage;
  }

  get events(): number {
    return this.inner.events;
  }

  private translate(step: () => Wire): string {
    try {
      return this.translator.push(step());
    } catch (error) {
      if (error instanceof UpstreamProtocolError) error.wireBefore = this.translator.push(error.wireBefore);
      throw error;
    }
  }
}
