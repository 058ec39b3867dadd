/**
 * The contract every wire-protocol adapter implements. The gateway speaks OpenAI chat
 * completions to its clients; an adapter turns that request into its upstream's wire format
 * and the upstream's answer (whole or streamed) back into OpenAI's. Nothing here imports a
 * concrete adapter, and nothing here does I/O.
 */
import type { ChatRequest, Usage } from './openai-types';

export type WireProtocol = 'openai' | 'anthropic' | 'ollama';

/** Where and as what one deployment is called. */
export interface UpstreamTarget {
  /** Base URL without trailing slash, e.g. `https://api.openai.com/v1` or `http://localhost:11434`. */
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** Upstream model name, the provider prefix already removed (`gpt-4o-mini`, `qwen2.5:14b`). */
  readonly model: string;
}

/** One HTTP request to send upstream. Always POST with a JSON body. */
export interface UpstreamRequest {
  /** Appended to `UpstreamTarget.baseUrl`, starts with `/`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A complete, validated non-streaming answer in OpenAI's `chat.completion` shape. */
export interface DecodedCompletion {
  /** JSON text of the OpenAI response body, sent to the client as is. */
  readonly json: string;
  readonly usage?: Usage;
}

/** One OpenAI `chat.completion.chunk`, ready to be written as `data: ${json}\n\n`. */
export interface StreamEvent {
  readonly json: string;
  /**
   * True when the chunk carries content, a tool call or a finish reason: once such a chunk
   * reached the client the gateway can no longer fall back to another upstream. A role-only
   * opening chunk is not substantive.
   */
  readonly substantive: boolean;
  readonly usage?: Usage;
}

/** Per-stream settings the gateway hands an adapter. */
export interface StreamOptions {
  /**
   * The most an upstream event (SSE event, NDJSON line) may hold while it is still incomplete,
   * in characters of its text (bytes for the OpenAI fast path). Past it the stream fails with
   * `upstream_too_large` instead of buffering without bound.
   */
  readonly maxEventBytes: number;
}

/** Incremental decoder of one upstream stream into OpenAI chunks. */
export interface StreamDecoder {
  /**
   * Feeds the next bytes of the upstream body. Returns the chunks completed by them, in order.
   * Throws `UpstreamProtocolError` on a malformed event or an in-stream error event, carrying
   * the chunks completed before it in `decodedBefore`.
   */
  push(bytes: Buffer): StreamEvent[];
  /** True once the upstream's own end-of-stream marker was seen (`[DONE]`, `message_stop`, `done: true`). */
  readonly finished: boolean;
  /** The token counts the upstream reported, whether or not the client asked to see them; undefined when it sent none. */
  readonly usage: Usage | undefined;
  /** Complete upstream events (SSE events with data, NDJSON lines) decoded so far. */
  readonly events: number;
  /**
   * The upstream body ended. Returns chunks still buffered; throws `UpstreamProtocolError`
   * when the stream ended before its end-of-stream marker (a cut stream must never look
   * like a complete answer).
   */
  end(): StreamEvent[];
}

/** Bytes for the client, already in OpenAI's SSE framing (`data: {chunk}\n\n` …). */
export type Wire = Buffer | string;

/**
 * A stream decoder seen from the gateway's side: upstream bytes in, the client's bytes out.
 * An adapter whose upstream already speaks the client's framing (OpenAI SSE) can forward the
 * upstream's own bytes, with no decoding and re-encoding; the others frame decoded chunks.
 */
export interface WireStream {
  /**
   * Feeds the next bytes of the upstream body. Returns the client's bytes for the chunks they
   * completed, and the closing `data: [DONE]\n\n` once the upstream's end marker came (then
   * `finished`; later bytes are ignored). Throws `UpstreamProtocolError` on a malformed event
   * or an in-stream error event, with the bytes due before it in `wireBefore`.
   */
  push(bytes: Buffer): Wire;
  /**
   * The upstream body ended: what is still buffered and `data: [DONE]\n\n`, or
   * `UpstreamProtocolError` for a cut stream (which must never look complete).
   */
  end(): Wire;
  /** True once the upstream's own end-of-stream marker was seen. */
  readonly finished: boolean;
  /** True once a substantive chunk was decoded: from then on the gateway can no longer fall back. */
  readonly started: boolean;
  /** The token counts the upstream reported in its stream, if it sent any (the last seen). */
  readonly usage: Usage | undefined;
  /**
   * Complete upstream events seen so far (keep-alive comments and partial events excluded):
   * what the idle timer counts as progress, and the basis of a completion estimate.
   */
  readonly events: number;
}

export interface ProtocolAdapter {
  readonly protocol: WireProtocol;
  /**
   * `clientText`, when given, is the client's JSON text `request` was parsed from, unchanged
   * since: an adapter that sends the request nearly as it came may forward that text, edited,
   * rather than serialise the request again.
   */
  buildRequest(request: ChatRequest, target: UpstreamTarget, stream: boolean, clientText?: string): UpstreamRequest;
  /** Validates and converts a 2xx body. Throws `UpstreamProtocolError` when it is not a usable answer. */
  decodeCompletion(body: string, target: UpstreamTarget): DecodedCompletion;
  createStreamDecoder(request: ChatRequest, target: UpstreamTarget, options?: StreamOptions): StreamDecoder;
  /**
   * What the gateway streams through: this protocol's decoder with its output framed for the
   * client. Usage reaches `usage` whatever the client asked; the client sees a usage chunk only
   * when it asked for `stream_options.include_usage`.
   */
  createWireStream(request: ChatRequest, target: UpstreamTarget, options?: StreamOptions): WireStream;
  /** The upstream's own error message from a non-2xx body (falls back to a short excerpt). */
  errorMessage(status: number, body: string): string;
}
