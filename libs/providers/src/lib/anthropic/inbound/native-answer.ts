/**
 * Anthropic upstream → Anthropic client, whole answers: the upstream's body is the client's
 * answer as it came. It is parsed once only to check it is a message and to read its usage
 * (for limits, budgets and usage records).
 */
import type { DecodedCompletion } from '../../contract';
import { UpstreamProtocolError } from '../../errors';
import { excerpt, isRecord, tryParseJson } from '../../shared/json';
import { readTokenCounts, toUsage } from '../anthropic-wire';

export function decodeNativeMessage(body: string): DecodedCompletion {
  const parsed = tryParseJson(body);
  if (!isRecord(parsed) || !Array.isArray(parsed['content'])) {
    throw new UpstreamProtocolError(`upstream answered 2xx with a body that is not an Anthropic message: ${excerpt(body)}`, 'malformed_response');
  }
  return { json: body, usage: isRecord(parsed['usage']) ? toUsage(readTokenCounts(parsed['usage'])) : undefined };
}

/** `POST /v1/messages/count_tokens` answers `{"input_tokens": N}`. */
export function readCountedTokens(body: string): number | undefined {
  const parsed = tryParseJson(body);
  const count = isRecord(parsed) ? parsed['input_tokens'] : undefined;
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : undefined;
}
