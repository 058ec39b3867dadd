/**
 * OpenAI `POST /embeddings` (and every compatible server: vLLM, LM Studio, HF router, Ollama's
 * /v1). The request goes up nearly as the client sent it, with the deployment's model. The
 * answer is checked (one vector per input, all of one length) and passed to the client byte for
 * byte when its encoding is the one asked; a server that ignored `encoding_format` (many
 * compatible ones only speak floats) is converted here instead, so the client always gets what
 * it asked for.
 */
import type { UpstreamRequest, UpstreamTarget } from '../contract';
import type { DecodedEmbeddings, EmbeddingAdapter, EmbeddingRequest } from '../embeddings/embedding-contract';
import { floatVectorLength } from '../embeddings/embedding-list';
import { base64VectorLength, decodeFloat32Base64, encodeFloat32Base64 } from '../embeddings/vector-encoding';
import { UpstreamProtocolError } from '../errors';
import { excerpt, isRecord, tryParseJson } from '../shared/json';
import { openAiErrorMessage } from './openai-response';
import { readUsage } from './usage';

export function buildOpenAiEmbeddingRequest(request: EmbeddingRequest, target: UpstreamTarget): UpstreamRequest {
  const body: Record<string, unknown> = { model: target.model, input: request.input, encoding_format: request.encodingFormat };
  if (request.dimensions !== undefined) body['dimensions'] = request.dimensions;
  if (request.user !== undefined) body['user'] = request.user;
  return { path: '/embeddings', headers: headersFor(target), body: JSON.stringify(body) };
}

export function decodeOpenAiEmbeddings(body: string, request: EmbeddingRequest): DecodedEmbeddings {
  const parsed = tryParseJson(body);
  const data = isRecord(parsed) ? parsed['data'] : undefined;
  if (!isRecord(parsed) || !Array.isArray(data)) throw malformed(`a body that is not an embeddings list: ${excerpt(body)}`);
  if (data.length !== request.inputCount) throw malformed(`${data.length} embeddings for ${request.inputCount} inputs`);
  let dimension = -1;
  let mismatched = false;
  for (const item of data as unknown[]) {
    const embedding = isRecord(item) ? item['embedding'] : undefined;
    const isText = typeof embedding === 'string';
    const length = isText ? base64VectorLength(embedding) : floatVectorLength(embedding);
    if (length <= 0) throw malformed(`an embedding that is neither numbers nor base64 float32: ${excerpt(JSON.stringify(item) ?? '')}`);
    if (dimension === -1) dimension = length;
    else if (length !== dimension) throw malformed(`embeddings of different lengths (${dimension} and ${length}) in one answer`);
    if (isText !== (request.encodingFormat === 'base64')) mismatched = true;
  }
  const promptTokens = readUsage(parsed['usage'])?.prompt_tokens;
  if (!mismatched) return { json: body, dimension, promptTokens };
  const converted = (data as Array<Record<string, unknown>>).map((item) => ({ ...item, embedding: convert(item['embedding'] as string | number[], request.encodingFormat === 'base64') }));
  return { json: JSON.stringify({ ...parsed, data: converted }), dimension, promptTokens };
}

function convert(embedding: string | number[], toBase64: boolean): string | number[] {
  if (toBase64) return typeof embedding === 'string' ? embedding : encodeFloat32Base64(embedding);
  return typeof embedding === 'string' ? decodeFloat32Base64(embedding) : embedding;
}

function malformed(what: string): UpstreamProtocolError {
  return new UpstreamProtocolError(`upstream answered 2xx with ${what}`, 'malformed_response');
}

const headerCache = new WeakMap<UpstreamTarget, Readonly<Record<string, string>>>();

/** Built once per target, not per request. */
function headersFor(target: UpstreamTarget): Readonly<Record<string, string>> {
  let headers = headerCache.get(target);
  if (headers === undefined) {
    headers = Object.freeze({ 'content-type': 'application/json', accept: 'application/json', ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}) });
    headerCache.set(target, headers);
  }
  return headers;
}

export const openAiEmbeddingAdapter: EmbeddingAdapter = {
  acceptsTokenInput: true,
  buildEmbeddingRequest: buildOpenAiEmbeddingRequest,
  decodeEmbeddings: (body, request) => decodeOpenAiEmbeddings(body, request),
  errorMessage: openAiErrorMessage,
};
