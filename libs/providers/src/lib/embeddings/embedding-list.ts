/**
 * OpenAI's embeddings answer, `{"object":"list","data":[{"object":"embedding","index","embedding"}],"model","usage"}`,
 * written from vectors (for protocols that answer in another shape, and for an OpenAI-protocol
 * server that ignored the asked encoding).
 */
import type { EmbeddingEncoding } from './embedding-contract';
import { encodeFloat32Base64 } from './vector-encoding';

export function renderEmbeddingList(vectors: ReadonlyArray<readonly number[]>, model: string, promptTokens: number | undefined, encoding: EmbeddingEncoding): string {
  const data = vectors.map((vector, index) => ({ object: 'embedding', index, embedding: encoding === 'base64' ? encodeFloat32Base64(vector) : vector }));
  // OpenAI always reports usage; an upstream that counted nothing is reported as 0 (the gateway's usage record estimates).
  const tokens = promptTokens ?? 0;
  return JSON.stringify({ object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

/** One vector's length, or -1 when it is not a non-empty array of finite numbers. */
export function floatVectorLength(value: unknown): number {
  if (!Array.isArray(value) || value.length === 0) return -1;
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) return -1;
  }
  return value.length;
}
