/**
 * The scripting vocabulary shared by every fake upstream: what the next chat request gets.
 * A behavior says *what happens on the wire* (answer, stall, cut, garbage, error); each
 * protocol renderer decides *how that looks* in its own format. Plus the pure helpers that
 * turn a behavior into the content a renderer needs.
 *
 * Streaming-only behaviors (`stream`, `stall-after-*`, `cut-stream`, `malformed-chunk`,
 * `error-event`) also have a meaning for a non-streaming request, so one script serves both:
 * - `stream`: waits as long as the stream would take, then answers with its whole text;
 * - `stall-after-headers`: 200 + JSON headers, then no body byte ever;
 * - `stall-after-chunks`: headers and the first half of the JSON body, then stalls;
 * - `cut-stream`: headers and the first half of the JSON body, then the socket is destroyed;
 * - `malformed-chunk`: same as `malformed-body`;
 * - `error-event`: 200 with the protocol's error body (some servers report errors that way).
 * - `oversized` and `trickle` are described with their kinds.
 */

/** A tool call the fake "decides" to make. `arguments` is JSON object text, as OpenAI sends it. */
export interface FakeToolCall {
  readonly name: string;
  readonly arguments: string;
  /**
   * How a stream splits `arguments` into fragments (joined, they must equal it): tests place
   * the splits at awkward points (inside an escape, a surrogate pair). Default: three even parts.
   */
  readonly fragments?: readonly string[];
}

export interface FakeUsage {
  readonly prompt: number;
  readonly completion: number;
}

export type Behavior =
  /**
   * A complete, well-formed answer (whole or streamed, as the request asked). `text` defaults
   * to `Hello from <name>`, or to no text at all when `toolCalls` are given. `delayMs` waits
   * before the headers.
   */
  | {
      readonly kind: 'answer';
      readonly text?: string;
      readonly toolCalls?: readonly FakeToolCall[];
      readonly usage?: FakeUsage;
      readonly delayMs?: number;
      /** Embeddings routes only: the vectors' length, whatever the request asked. */
      readonly dimension?: number;
    }
  /**
   * `chunks` content chunks, `chunkDelayMs` apart; chunk i carries `text` when given, else
   * `tok<i> `. Without a delay (and for `answer`) the frames leave in one write, so a client
   * usually reads them at once; give `chunkDelayMs` when the test needs them to arrive apart.
   */
  | { readonly kind: 'stream'; readonly chunks: number; readonly chunkDelayMs?: number; readonly text?: string }
  /** Waits `ms` before sending anything, then plays `then` (default: a plain `answer`). */
  | { readonly kind: 'delay'; readonly ms: number; readonly then?: Behavior }
  /** 200 and the stream headers (flushed), then silence until the client leaves or the fake closes. */
  | { readonly kind: 'stall-after-headers' }
  /** The stream opening and `chunks` content chunks, then silence. */
  | { readonly kind: 'stall-after-chunks'; readonly chunks: number; readonly chunkDelayMs?: number }
  /** The stream opening and `afterChunks` content chunks, then the socket is destroyed (no end marker). */
  | { readonly kind: 'cut-stream'; readonly afterChunks: number; readonly chunkDelayMs?: number }
  /** `afterChunks` good chunks, one that is not valid JSON, then the response ends normally (or, `thenStall`, stays open). */
  | { readonly kind: 'malformed-chunk'; readonly afterChunks: number; readonly chunkDelayMs?: number; readonly thenStall?: boolean }
  /** 200 with `content-type: application/json` and a body that is not JSON. */
  | { readonly kind: 'malformed-body' }
  /** That HTTP status with the protocol's error body, and `Retry-After` (seconds) when given. */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: number; readonly message?: string }
  /** `afterChunks` good chunks, then the protocol's in-stream error event, then the response ends. */
  | { readonly kind: 'error-event'; readonly afterChunks: number; readonly chunkDelayMs?: number; readonly message?: string }
  /**
   * A well-formed answer that is too big: `afterChunks` ordinary chunks, then one content chunk
   * carrying `bytes` characters, then the normal end. A whole answer carries the same text.
   */
  | { readonly kind: 'oversized'; readonly afterChunks: number; readonly bytes: number }
  /**
   * `afterChunks` good chunks, then a content chunk sent one byte every `intervalMs`: bytes
   * keep coming but no event ever completes (until the client leaves). A whole answer: its
   * body, one byte every `intervalMs`.
   */
  | { readonly kind: 'trickle'; readonly afterChunks: number; readonly intervalMs: number };

export type BehaviorKind = Behavior['kind'];

/** Everything a renderer needs to write one answer, decided before the first byte. */
export interface AnswerContent {
  /** The content chunks of a stream, in order; joined they are the whole answer's text. */
  readonly pieces: readonly string[];
  readonly text: string;
  readonly toolCalls: readonly FakeToolCall[];
  readonly usage: FakeUsage;
}

/** Prompt tokens reported when a behavior does not say: fixed, so tests can assert on them. */
export const DEFAULT_PROMPT_TOKENS = 10;

export function defaultText(name: string): string {
  return `Hello from ${name}`;
}

/** Content of chunk `index` of a `stream` (and of the good chunks of the failure behaviors). */
export function streamPiece(index: number, text?: string): string {
  return text ?? `tok${index} `;
}

/** The text a client assembles from `count` chunks, e.g. to compare with what the gateway relayed. */
export function streamedText(count: number, text?: string): string {
  let joined = '';
  for (let i = 0; i < count; i++) joined += streamPiece(i, text);
  return joined;
}

/**
 * Splits an answer's text into stream pieces at word boundaries, keeping the spaces, so
 * "Hello from x" streams as "Hello ", "from ", "x" and the pieces join back exactly.
 */
export function splitWords(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** Splits tool-call arguments into up to `parts` fragments, as models stream them mid-token. */
export function splitFragments(text: string, parts = 3): string[] {
  if (text.length < parts) return text === '' ? [''] : [text];
  const size = Math.ceil(text.length / parts);
  const fragments: string[] = [];
  for (let at = 0; at < text.length; at += size) fragments.push(text.slice(at, at + size));
  return fragments;
}

/** The fragments a stream sends a tool call's arguments in: the scripted ones, else three even parts. */
export function toolFragments(call: FakeToolCall): readonly string[] {
  if (call.fragments === undefined) return splitFragments(call.arguments);
  if (call.fragments.join('') !== call.arguments) throw new TypeError(`fake tool call ${call.name}: fragments do not join to its arguments`);
  return call.fragments;
}

/** The content of a complete answer. */
export function answerContent(behavior: Extract<Behavior, { kind: 'answer' }>, name: string): AnswerContent {
  const toolCalls = behavior.toolCalls ?? [];
  const text = behavior.text ?? (toolCalls.length > 0 ? '' : defaultText(name));
  const pieces = splitWords(text);
  return { pieces, text, toolCalls, usage: behavior.usage ?? { prompt: DEFAULT_PROMPT_TOKENS, completion: Math.max(1, pieces.length + toolCalls.length) } };
}

/** The content of `count` numbered chunks (streams and the failure behaviors that stream first). */
export function chunkContent(count: number, text?: string): AnswerContent {
  const pieces: string[] = [];
  for (let i = 0; i < count; i++) pieces.push(streamPiece(i, text));
  return { pieces, text: pieces.join(''), toolCalls: [], usage: { prompt: DEFAULT_PROMPT_TOKENS, completion: Math.max(1, count) } };
}

/** Parses tool-call arguments for protocols that carry them as objects (Anthropic, Ollama). */
export function argumentsObject(call: FakeToolCall): Record<string, unknown> {
  const parsed: unknown = JSON.parse(call.arguments);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TypeError(`fake tool call ${call.name}: arguments must be a JSON object, got ${call.arguments}`);
  }
  return parsed as Record<string, unknown>;
}
