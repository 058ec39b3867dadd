/**
 * The contract of an embeddings adapter: the gateway's `POST /v1/embeddings` (OpenAI's shape)
 * turned into one upstream's wire request, and its answer back into OpenAI's `list` of
 * `embedding` objects in the encoding the client asked for. Pure: no I/O, no concrete adapter.
 */
import type { UpstreamRequest, UpstreamTarget } from '../contract';

/** OpenAI's `input`: a string, strings, one token array, or token arrays. */
export type EmbeddingInput = string | readonly string[] | readonly number[] | ReadonlyArray<readonly number[]>;

export type EmbeddingEncoding = 'float' | 'base64';

/** A validated `POST /v1/embeddings` body (the gateway's validator checked every field here). */
export interface EmbeddingRequest {
  readonly model: string;
  readonly input: EmbeddingInput;
  /** How many vectors the answer must hold: 1 for a string or one token array, else the array's length. */
  readonly inputCount: number;
  /** True when `input` is token ids rather than text. */
  readonly tokenInput: boolean;
  /** Asked output size (OpenAI's text-embedding-3 and Ollama's Matryoshka models honour it). */
  readonly dimensions?: number;
  readonly encodingFormat: EmbeddingEncoding;
  readonly user?: string;
}

/** A complete, checked answer, ready for the client. */
export interface DecodedEmbeddings {
  /** JSON text of OpenAI's `{"object":"list","data":[…],"model","usage"}`, vectors in the asked encoding. */
  readonly json: string;
  /** Length of every vector in the answer (all the same, or the answer was refused). */
  readonly dimension: number;
  /** Tokens the upstream counted for the input; undefined when it reported none. */
  readonly promptTokens: number | undefined;
}

export interface EmbeddingAdapter {
  /** False when the protocol takes text only (token-id input cannot be sent to it). */
  readonly acceptsTokenInput: boolean;
  buildEmbeddingRequest(request: EmbeddingRequest, target: UpstreamTarget): UpstreamRequest;
  /** Validates and converts a 2xx body. Throws `UpstreamProtocolError` when it is not a usable answer. */
  decodeEmbeddings(body: string, request: EmbeddingRequest, target: UpstreamTarget): DecodedEmbeddings;
  /** The upstream's own error message from a non-2xx body. */
  errorMessage(status: number, body: string): string;
}
