/**
 * What the fake upstreams answer on their embeddings routes (OpenAI `POST /v1/embeddings`,
 * Ollama `POST /api/embed`): deterministic vectors, so a test can compute what the gateway
 * must relay, and the scripted faults of `behavior.ts` played the embeddings way.
 *
 * Each value is a multiple of 1/64 in [-0.5, 0.5): exactly representable as float32, so a
 * vector that went through base64 (float32) compares equal to the float answer.
 */
import type { Behavior } from './behavior';
import type { Exchange } from './exchange';
import type { FakeProtocol, JsonObject } from './protocol';

/** Vector length when neither the request's `dimensions` nor the behavior's `dimension` says. */
export const DEFAULT_EMBEDDING_DIMENSION = 8;

const JSON_TYPE = 'application/json';
const NOT_JSON = '{"object": "list", "data": [ this is not json';

/** The fake's vector for one input (a text or a token array) at `dimension` values. */
export function fakeVector(input: string | readonly number[], dimension: number): number[] {
  let seed = 0;
  if (typeof input === 'string') for (let i = 0; i < input.length; i++) seed = (seed * 31 + input.charCodeAt(i)) >>> 0;
  else for (const token of input) seed = (seed * 31 + token) >>> 0;
  const vector = new Array<number>(dimension);
  for (let i = 0; i < dimension; i++) vector[i] = (((seed + i * 7) % 64) - 32) / 64;
  return vector;
}

/** Tokens the fake reports for one input: its words (at least 1), or its token ids. */
export function fakeTokenCount(input: string | readonly number[]): number {
  return typeof input === 'string' ? Math.max(1, input.split(/\s+/).filter(Boolean).length) : input.length;
}

/** The request's inputs as a list (a lone string or token array is one input). */
export function inputsOf(request: JsonObject): Array<string | number[]> {
  const input = request['input'];
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return [];
  if (typeof input[0] === 'number') return [input as number[]];
  return input as Array<string | number[]>;
}

/** How a protocol writes an embeddings answer. */
export interface EmbeddingRendering {
  answer(request: JsonObject, vectors: readonly number[][], promptTokens: number): string;
}

export interface EmbeddingOptions {
  /** Behave like a model without Matryoshka support: the request's `dimensions` is ignored. */
  readonly ignoreDimensions?: boolean;
}

/**
 * Plays one behavior on an embeddings request. `answer` (with `dimension` and `usage.prompt`
 * when given) and `delay` answer; `status`, `malformed-body`, `stall-after-headers` and
 * `cut-stream` (half the body, then the socket is cut) fail the way their names say; the
 * stream-only kinds answer like `malformed-body` would, as a broken body.
 */
export async function playEmbedding(exchange: Exchange, protocol: FakeProtocol, rendering: EmbeddingRendering, request: JsonObject, behavior: Behavior, name: string, options: EmbeddingOptions): Promise<void> {
  switch (behavior.kind) {
    case 'answer': {
      if (behavior.delayMs && !(await exchange.sleep(behavior.delayMs))) return;
      return exchange.send(200, JSON_TYPE, answerBody(rendering, request, behavior.dimension, behavior.usage?.prompt, options));
    }
    case 'delay':
      if (!(await exchange.sleep(behavior.ms))) return;
      return playEmbedding(exchange, protocol, rendering, request, behavior.then ?? { kind: 'answer' }, name, options);
    case 'status': {
      const message = behavior.message ?? `fake ${name}: HTTP ${behavior.status}`;
      const headers = behavior.retryAfter === undefined ? undefined : { 'retry-after': String(behavior.retryAfter) };
      return exchange.send(behavior.status, JSON_TYPE, protocol.errorBody(behavior.status, message), headers);
    }
    case 'stall-after-headers':
      exchange.head(200, JSON_TYPE);
      return;
    case 'cut-stream':
    case 'stall-after-chunks': {
      const body = answerBody(rendering, request, undefined, undefined, options);
      exchange.head(200, JSON_TYPE);
      exchange.write(body.slice(0, Math.floor(body.length / 2)));
      if (behavior.kind === 'cut-stream') exchange.cut();
      return;
    }
    default:
      return exchange.send(200, JSON_TYPE, NOT_JSON);
  }
}

function answerBody(rendering: EmbeddingRendering, request: JsonObject, dimension: number | undefined, promptTokens: number | undefined, options: EmbeddingOptions): string {
  const asked = request['dimensions'];
  const size = dimension ?? (!options.ignoreDimensions && typeof asked === 'number' ? asked : DEFAULT_EMBEDDING_DIMENSION);
  const inputs = inputsOf(request);
  const vectors = inputs.map((input) => fakeVector(input, size));
  return rendering.answer(request, vectors, promptTokens ?? inputs.reduce((sum, input) => sum + fakeTokenCount(input), 0));
}
