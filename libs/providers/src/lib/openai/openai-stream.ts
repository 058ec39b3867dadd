/**
 * OpenAI chat protocol, streamed: each upstream `data:` payload is checked and forwarded as the
 * same text, never re-serialised. The stream is complete at `[DONE]`; servers that omit
 * `[DONE]` are accepted once a finish reason was sent.
 *
 * Until the first substantive chunk every payload is fully parsed: that is where the gateway
 * can still fall back, so garbage must be caught. After it, a payload only gets a structural
 * check (a JSON object, not an error event): fully parsing every chunk cost a sixth of the
 * gateway's streaming throughput (bench/), and a payload that passes the check but is not
 * JSON still fails loudly in the client's own parser — it can't pass for a complete answer.
 *
 * The gateway always asks OpenAI-protocol upstreams for usage (`stream_options.include_usage`):
 * its usage-only chunk (`choices: []`, the last before `[DONE]`) is read, and passed on only
 * when the client asked for it too.
 */
import type { StreamDecoder, StreamEvent } from '../contract';
import { tooLarge, UpstreamProtocolError, withDecodedBefore } from '../errors';
import { decodeEach } from '../shared/decode-each';
import { excerpt, isRecord, tryParseJson } from '../shared/json';
import { SseParser } from '../shared/sse-parser';
import { looksLikeJsonObject } from './chunk-shape';
import type { Usage } from '../openai-types';
import { readUsage } from './usage';

export interface OpenAiStreamOptions {
  /** Pass the usage-only chunk on to the client (it asked for `include_usage`). Default true. */
  readonly forwardUsageChunk?: boolean;
  /** See `StreamOptions.maxEventBytes`. Default: no cap. */
  readonly maxEventBytes?: number;
}

export class OpenAiStreamDecoder implements StreamDecoder {
  /** Made on first use: the wire stream hands most events to `take` and never needs it. */
  private parser: SseParser | undefined;
  private readonly forwardUsageChunk: boolean;
  readonly maxEventBytes: number;
  private done = false;
  private finishSeen = false;
  private substantiveSeen = false;
  private lastUsage: Usage | undefined;

  constructor(options: OpenAiStreamOptions = {}) {
    this.forwardUsageChunk = options.forwardUsageChunk ?? true;
    this.maxEventBytes = options.maxEventBytes ?? Infinity;
  }

  /** Events its own SSE parser completed (the wire stream counts those it hands to `take`). */
  get events(): number {
    return this.parser?.dispatched ?? 0;
  }

  /** The last token counts seen in the stream (OpenAI sends them in a final chunk when asked). */
  get usage(): Usage | undefined {
    return this.lastUsage;
  }

  get finished(): boolean {
    return this.done;
  }

  /** True once a substantive chunk was decoded: later chunks only get the structural check. */
  get started(): boolean {
    return this.substantiveSeen;
  }

  /** No partial line or event buffered: the next bytes start a fresh line. */
  get idle(): boolean {
    return this.parser?.idle ?? true;
  }

  push(bytes: Buffer): StreamEvent[] {
    const parser = (this.parser ??= new SseParser());
    const events = decodeEach(parser.push(bytes), (message, out) => {
      const event = this.take(message.data);
      if (event !== undefined) out.push(event);
    });
    if (parser.pendingChars > this.maxEventBytes) throw withDecodedBefore(tooLarge('a stream event', this.maxEventBytes), events);
    return events;
  }

  /**
   * One event's `data` payload: its chunk, or undefined for `[DONE]`, anything after it, and a
   * usage-only chunk the client did not ask for (its usage is kept). Throws
   * `UpstreamProtocolError` like `push` (without `decodedBefore`).
   */
  take(data: string): StreamEvent | undefined {
    if (this.done) return undefined;
    if (data === '[DONE]') {
      this.done = true;
      return undefined;
    }
    return this.decodeChunk(data);
  }

  end(): StreamEvent[] {
    if (!this.done && !(this.finishSeen && !(this.parser?.pending ?? false))) {
      throw new UpstreamProtocolError('upstream stream ended before [DONE]', 'stream_cut');
    }
    this.done = true;
    return [];
  }

  private decodeChunk(data: string): StreamEvent | undefined {
    const event = this.substantiveSeen ? this.checkChunk(data) : this.parseChunk(data);
    if (event === undefined) return undefined;
    if (event.usage) this.lastUsage = event.usage;
    return event;
  }

  /** A chunk carrying only usage, which the client did not ask to see: its counts are kept, the chunk left out. */
  private hidesUsage(chunk: Record<string, unknown>, usage: Usage | undefined): boolean {
    if (usage === undefined || this.forwardUsageChunk) return false;
    const choices = chunk['choices'];
    if (!Array.isArray(choices) || choices.length > 0) return false;
    this.lastUsage = usage;
    return true;
  }

  private checkChunk(data: string): StreamEvent | undefined {
    if (!looksLikeJsonObject(data, 0, data.length)) throw new UpstreamProtocolError(`upstream sent a malformed stream chunk: ${excerpt(data)}`, 'malformed_chunk');
    if (ERROR_EVENT.test(data)) return this.parseChunk(data);
    // One scan for either key (most chunks have neither), then tell them apart.
    if (!FINISH_REASON_OR_USAGE.test(data)) return { json: data, substantive: true, usage: undefined };
    if (FINISH_REASON.test(data)) this.finishSeen = true;
    if (!USAGE.test(data)) return { json: data, substantive: true, usage: undefined };
    const chunk = tryParseJson(data);
    const usage = isRecord(chunk) ? readUsage(chunk['usage']) : undefined;
    if (isRecord(chunk) && this.hidesUsage(chunk, usage)) return undefined;
    return { json: data, substantive: true, usage };
  }

  private parseChunk(data: string): StreamEvent | undefined {
    const chunk = tryParseJson(data);
    if (!isRecord(chunk)) throw new UpstreamProtocolError(`upstream sent a malformed stream chunk: ${excerpt(data)}`, 'malformed_chunk');
    const error = chunk['error'];
    if (error !== undefined) {
      const message = isRecord(error) && typeof error['message'] === 'string' ? error['message'] : excerpt(JSON.stringify(error));
      throw new UpstreamProtocolError(`upstream sent an error in its stream: ${message}`, 'upstream_error_event');
    }
    const choices = chunk['choices'];
    if (!Array.isArray(choices)) throw new UpstreamProtocolError(`upstream stream chunk has no choices: ${excerpt(data)}`, 'malformed_chunk');
    let substantive = false;
    for (const choice of choices) {
      if (!isRecord(choice)) continue;
      if (choice['finish_reason']) {
        substantive = true;
        this.finishSeen = true;
      }
      const delta = choice['delta'];
      if (isRecord(delta) && ((typeof delta['content'] === 'string' && delta['content'] !== '') || Array.isArray(delta['tool_calls']) || (typeof delta['refusal'] === 'string' && delta['refusal'] !== ''))) {
        substantive = true;
      }
    }
    const usage = readUsage(chunk['usage']);
    if (this.hidesUsage(chunk, usage)) return undefined;
    if (substantive) this.substantiveSeen = true;
    return { json: data, substantive, usage };
  }
}

const ERROR_EVENT = /^\s*\{\s*"error"\s*:/;
const FINISH_REASON = /"finish_reason"\s*:\s*"/;
const USAGE = /"usage"\s*:\s*\{/;
const FINISH_REASON_OR_USAGE = /"(?:finish_reason"\s*:\s*"|usage"\s*:\s*\{)/;
