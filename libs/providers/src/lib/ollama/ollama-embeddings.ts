/**
 * Ollama's native `POST /api/embed`: `{model, input, dimensions?}` up, `{model, embeddings:
 * number[][], prompt_eval_count}` back, re-shaped as OpenAI's embeddings list in the asked
 * encoding. Text only: Ollama takes no token ids. Ollama truncates an input longer than the
 * model's context by default (OpenAI refuses it instead); the default is kept, as LiteLLM does.
 */
import type { UpstreamRequest, UpstreamTarget } from '../contract';
import type { DecodedEmbeddings, EmbeddingAdapter, EmbeddingRequest } from '../embeddings/embedding-contract';
import { floatVectorLength, renderEmbeddingList } from '../embeddings/embedding-list';
import { UntranslatableRequestError, UpstreamProtocolError } from '../errors';
import { excerpt, isRecord, tryParseJson } from '../shared/json';
import { ollamaErrorMessage } from './ollama-response';

export function buildOllamaEmbeddingRequest(request: EmbeddingRequest, target: UpstreamTarget): UpstreamRequest {
  if (request.tokenInput) throw new UntranslatableRequestError('Ollama embeds text only: send input as a string or an array of strings', 'input');
  const body: Record<string, unknown> = { model: target.model, input: request.input };
  if (request.dimensions !== undefined) body['dimensions'] = request.dimensions;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (target.apiKey) headers['authorization'] = `Bearer ${target.apiKey}`;
  return { path: '/api/embed', headers, body: JSON.stringify(body) };
}

export function decodeOllamaEmbeddings(body: string, request: EmbeddingRequest, target: UpstreamTarget): DecodedEmbeddings {
  const parsed = tryParseJson(body);
  const embeddings = isRecord(parsed) ? parsed['embeddings'] : undefined;
  if (!isRecord(parsed) || !Array.isArray(embeddings)) {
    throw new UpstreamProtocolError(`upstream answered 2xx with a body that is not an Ollama embed response: ${excerpt(body)}`, 'malformed_response');
  }
  if (embeddings.length !== request.inputCount) {
    throw new UpstreamProtocolError(`upstream answered 2xx with ${embeddings.length} embeddings for ${request.inputCount} inputs`, 'malformed_response');
  }
  let dimension = -1;
  for (const vector of embeddings as unknown[]) {
    const length = floatVectorLength(vector);
    if (length <= 0) throw new UpstreamProtocolError(`upstream answered 2xx with an embedding that is not an array of numbers`, 'malformed_response');
    if (dimension === -1) dimension = length;
    else if (length !== dimension) throw new UpstreamProtocolError(`upstream answered 2xx with embeddings of different lengths (${dimension} and ${length}) in one answer`, 'malformed_response');
  }
  const count = parsed['prompt_eval_count'];
  const promptTokens = typeof count === 'number' && Number.isFinite(count) && count >= 0 ? count : undefined;
  const model = typeof parsed['model'] === 'string' && parsed['model'] !== '' ? parsed['model'] : target.model;
  return { json: renderEmbeddingList(embeddings as number[][], model, promptTokens, request.encodingFormat), dimension, promptTokens };
}

export const ollamaEmbeddingAdapter: EmbeddingAdapter = {
  acceptsTokenInput: false,
  buildEmbeddingRequest: buildOllamaEmbeddingRequest,
  decodeEmbeddings: decodeOllamaEmbeddings,
  errorMessage: ollamaErrorMessage,
};
