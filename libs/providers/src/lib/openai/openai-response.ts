/**
 * OpenAI chat protocol, whole answers: validated, then passed to the client byte for byte
 * (no re-serialisation).
 */
import type { DecodedCompletion } from '../contract';
import { UpstreamProtocolError } from '../errors';
import { excerpt, isRecord, tryParseJson } from '../shared/json';
import { readUsage } from './usage';

export function decodeOpenAiCompletion(body: string): DecodedCompletion {
  const parsed = tryParseJson(body);
  if (!isRecord(parsed) || !Array.isArray(parsed['choices'])) {
    throw new UpstreamProtocolError(`upstream answered 2xx with a body that is not a chat completion: ${excerpt(body)}`, 'malformed_response');
  }
  return { json: body, usage: readUsage(parsed['usage']) };
}

/** OpenAI and every compatible server: `{"error":{"message":...}}`; some send `{"error":"..."}` or `{"message":...}`. */
export function openAiErrorMessage(status: number, body: string): string {
  const parsed = tryParseJson(body);
  if (isRecord(parsed)) {
    const error = parsed['error'];
    if (isRecord(error) && typeof error['message'] === 'string') return error['message'];
    if (typeof error === 'string') return error;
    if (typeof parsed['message'] === 'string') return parsed['message'];
    if (typeof parsed['detail'] === 'string') return parsed['detail'];
  }
  return body.trim() ? excerpt(body) : `HTTP ${status}`;
}
