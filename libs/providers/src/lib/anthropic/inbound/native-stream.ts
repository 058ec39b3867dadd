/**
 * Anthropic upstream → Anthropic client, streamed: the upstream's bytes are forwarded as they
 * came, never re-encoded. The gateway still watches the events for what it must know of any
 * stream: when the first content came (no more fallback), when `message_stop` came (complete),
 * the usage (`message_start`, `message_delta`), a malformed event, or an in-stream `error`
 * event (the upstream failed: the gateway ends the stream with its own error event instead).
 *
 * Cost: every event is framed by the SSE parser, but only the events that carry what the
 * gateway reads are parsed as JSON (the message's start and delta, errors, and the deltas
 * until the first content). Later content deltas — nearly all of a stream — get the same cheap
 * structural check as OpenAI chunks after the first content (`openai-stream.ts`): a payload that
 * passes it but is not JSON still fails loudly in the client's own parser.
 *
 * A read that holds good events and then a fault is not split: its good events are not
 * forwarded (there is no byte offset per event, and the client is told the answer failed).
 */
import type { WireStream } from '../../contract';
import { tooLarge, UpstreamProtocolError } from '../../errors';
import type { Usage } from '../../openai-types';
import { looksLikeJsonObject } from '../../openai/chunk-shape';
import { excerpt, isRecord, tryParseJson } from '../../shared/json';
import { SseParser, type SseMessage } from '../../shared/sse-parser';
import { readTokenCounts, toUsage } from '../anthropic-wire';

export class NativeMessagesStream implements WireStream {
  private readonly parser = new SseParser();
  private substantiveSeen = false;
  private done = false;
  private promptTokens: number | undefined;
  private completionTokens: number | undefined;

  constructor(private readonly maxEventBytes: number) {}

  get finished(): boolean {
    return this.done;
  }

  get started(): boolean {
    return this.substantiveSeen;
  }

  get usage(): Usage | undefined {
    if (this.promptTokens === undefined && this.completionTokens === undefined) return undefined;
    return toUsage({ prompt: this.promptTokens, completion: this.completionTokens });
  }

  get events(): number {
    return this.parser.dispatched;
  }

  push(bytes: Buffer): Buffer | string {
    if (this.done) return '';
    for (const message of this.parser.push(bytes)) {
      this.watch(message);
      if (this.done) return bytes;
    }
    if (this.parser.pendingChars > this.maxEventBytes) throw tooLarge('a stream event', this.maxEventBytes);
    return bytes;
  }

  /** Nothing is held back; a stream that ended before `message_stop` is cut. */
  end(): string {
    if (!this.done) throw new UpstreamProtocolError('upstream stream ended before message_stop', 'stream_cut');
    return '';
  }

  private watch(message: SseMessage): void {
    // Anthropic names every event; the payload's `type` repeats it (read when a proxy dropped the name).
    const type = message.event ?? typeOf(message.data);
    switch (type) {
      case 'content_block_delta':
      case 'content_block_start':
        if (this.substantiveSeen) return checkShape(message.data);
        this.substantiveSeen = isContent(parse(message.data));
        return;
      case 'message_start': {
        const data = parse(message.data);
        this.count(isRecord(data['message']) ? data['message']['usage'] : undefined);
        return;
      }
      case 'message_delta':
        this.count(parse(message.data)['usage']);
        return;
      case 'message_stop':
        this.done = true;
        return;
      case 'error': {
        const error = tryParseJson(message.data);
        const detail = isRecord(error) && isRecord(error['error']) && typeof error['error']['message'] === 'string' ? error['error']['message'] : excerpt(message.data);
        throw new UpstreamProtocolError(`upstream sent an error in its stream: ${detail}`, 'upstream_error_event');
      }
      default:
        // ping, content_block_stop, and event types newer than this gateway: forwarded as they are.
        return checkShape(message.data);
    }
  }

  /** Anthropic's counts are cumulative: a later event never lowers one, but may be the first to carry it. */
  private count(value: unknown): void {
    const counts = readTokenCounts(value);
    if (counts.prompt !== undefined) this.promptTokens = Math.max(this.promptTokens ?? 0, counts.prompt);
    if (counts.completion !== undefined) this.completionTokens = Math.max(this.completionTokens ?? 0, counts.completion);
  }
}

/** Content for the client: text, tool input, a tool call, thinking. An empty opening text block is not. */
function isContent(data: Record<string, unknown>): boolean {
  const delta = data['delta'];
  if (isRecord(delta)) {
    if (delta['type'] === 'text_delta') return typeof delta['text'] === 'string' && delta['text'] !== '';
    return delta['type'] === 'input_json_delta' || delta['type'] === 'thinking_delta';
  }
  const block = data['content_block'];
  return isRecord(block) && (block['type'] === 'tool_use' || block['type'] === 'server_tool_use' || (block['type'] === 'text' && typeof block['text'] === 'string' && block['text'] !== ''));
}

function parse(data: string): Record<string, unknown> {
  const parsed = tryParseJson(data);
  if (!isRecord(parsed)) throw new UpstreamProtocolError(`upstream sent a malformed stream event: ${excerpt(data)}`, 'malformed_chunk');
  return parsed;
}

function checkShape(data: string): void {
  if (!looksLikeJsonObject(data, 0, data.length)) throw new UpstreamProtocolError(`upstream sent a malformed stream event: ${excerpt(data)}`, 'malformed_chunk');
}

function typeOf(data: string): string | undefined {
  const parsed = tryParseJson(data);
  return isRecord(parsed) && typeof parsed['type'] === 'string' ? parsed['type'] : undefined;
}
