/**
 * Checks a `POST /v1/embeddings` body before any upstream sees it, so a malformed request is a
 * 400 naming the bad parameter (OpenAI's shape) rather than an upstream error that would be
 * charged to nobody, or a crash. The caps are documented in docs/embeddings.md:
 *
 * - `input`: a non-empty string, an array of 1–2048 non-empty strings, one non-empty array of
 *   token ids, or 1–2048 such arrays (OpenAI's own limit is 2048 inputs per request). No NUL
 *   characters (no embedding model takes them, and they poison logs and databases downstream).
 *   Token ids are integers in [0, 2^32).
 * - `dimensions`: an integer in [1, 65536]; `encoding_format`: `float` (default) or `base64`;
 *   `user`: a string. Other fields are not forwarded.
 */
import type { EmbeddingEncoding, EmbeddingRequest } from '@orcest/providers';
import { InvalidRequestError } from '../errors';

/** Most inputs one request may carry (OpenAI's limit). */
export const MAX_EMBEDDING_INPUTS = 2048;
const MAX_DIMENSIONS = 65_536;
const MAX_TOKEN_ID = 2 ** 32;

export function validateEmbeddingRequest(body: unknown): EmbeddingRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequestError('The request body must be a JSON object.');
  const request = body as Record<string, unknown>;
  const model = request['model'];
  if (model === undefined) throw new InvalidRequestError('you must provide a model parameter', 'model');
  if (typeof model !== 'string') throw new InvalidRequestError("'model' must be a string", 'model');
  const { inputCount, tokenInput } = checkInput(request['input']);
  const dimensions = request['dimensions'];
  if (dimensions !== undefined && dimensions !== null && !(Number.isInteger(dimensions) && (dimensions as number) >= 1 && (dimensions as number) <= MAX_DIMENSIONS)) {
    throw new InvalidRequestError(`'dimensions' must be an integer between 1 and ${MAX_DIMENSIONS}`, 'dimensions');
  }
  const format = request['encoding_format'];
  if (format !== undefined && format !== null && format !== 'float' && format !== 'base64') {
    throw new InvalidRequestError("'encoding_format' must be 'float' or 'base64'", 'encoding_format');
  }
  const user = request['user'];
  if (user !== undefined && user !== null && typeof user !== 'string') throw new InvalidRequestError("'user' must be a string", 'user');
  return {
    model,
    input: request['input'] as EmbeddingRequest['input'],
    inputCount,
    tokenInput,
    dimensions: typeof dimensions === 'number' ? dimensions : undefined,
    encodingFormat: (format ?? 'float') as EmbeddingEncoding,
    user: typeof user === 'string' ? user : undefined,
  };
}

function checkInput(input: unknown): { inputCount: number; tokenInput: boolean } {
  if (input === undefined || input === null) throw new InvalidRequestError("Missing required parameter: 'input'.", 'input');
  if (typeof input === 'string') {
    checkText(input, 'input');
    return { inputCount: 1, tokenInput: false };
  }
  if (!Array.isArray(input)) throw new InvalidRequestError("'input' must be a string, an array of strings, or an array of token arrays", 'input');
  if (input.length === 0) throw new InvalidRequestError("'input' must not be empty", 'input');
  if (input.length > MAX_EMBEDDING_INPUTS) throw new InvalidRequestError(`'input' holds ${input.length} items; at most ${MAX_EMBEDDING_INPUTS} per request`, 'input');
  const first: unknown = input[0];
  if (typeof first === 'number') {
    checkTokens(input, 'input');
    return { inputCount: 1, tokenInput: true };
  }
  const tokens = Array.isArray(first);
  for (let i = 0; i < input.length; i++) {
    const item: unknown = input[i];
    const param = `input[${i}]`;
    if (tokens) {
      if (!Array.isArray(item)) throw new InvalidRequestError(`'${param}' must be an array of token ids, like the other items`, param);
      checkTokens(item, param);
    } else {
      if (typeof item !== 'string') throw new InvalidRequestError(`'${param}' must be a string`, param);
      checkText(item, param);
    }
  }
  return { inputCount: input.length, tokenInput: tokens };
}

function checkText(text: string, param: string): void {
  if (text.length === 0) throw new InvalidRequestError(`'${param}' must not be an empty string`, param);
  if (text.includes('\u0000')) throw new InvalidRequestError(`'${param}' contains a NUL character`, param);
}

function checkTokens(tokens: readonly unknown[], param: string): void {
  if (tokens.length === 0) throw new InvalidRequestError(`'${param}' must not be an empty token array`, param);
  for (const token of tokens) {
    if (!Number.isInteger(token) || (token as number) < 0 || (token as number) >= MAX_TOKEN_ID) {
      throw new InvalidRequestError(`'${param}' must hold token ids (non-negative integers)`, param);
    }
  }
}

const CHARS_PER_TOKEN = 4;

/**
 * The input's estimated tokens, for the tokens-per-minute reservation (before validation, so it
 * takes anything) and for the usage record when the upstream counts none: characters / 4 for
 * text, the ids themselves for token arrays.
 */
export function estimateEmbeddingTokens(body: unknown): number {
  const input = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['input'] : undefined;
  if (typeof input === 'string') return Math.ceil(input.length / CHARS_PER_TOKEN);
  if (!Array.isArray(input)) return 0;
  let tokens = 0;
  for (const item of input as unknown[]) {
    if (typeof item === 'string') tokens += Math.ceil(item.length / CHARS_PER_TOKEN);
    else if (Array.isArray(item)) tokens += item.length;
    else if (typeof item === 'number') tokens += 1;
  }
  return tokens;
}
