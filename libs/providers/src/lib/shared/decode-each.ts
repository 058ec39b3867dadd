import type { StreamEvent } from '../contract';
import { withDecodedBefore } from '../errors';

/**
 * The loop every stream decoder's `push` runs: decode each framed message (SSE event, NDJSON
 * line) into chunks, and when one is bad, throw with the chunks decoded before it attached.
 */
export function decodeEach<T>(messages: Iterable<T>, decode: (message: T, out: StreamEvent[]) => void): StreamEvent[] {
  const events: StreamEvent[] = [];
  try {
    for (const message of messages) decode(message, events);
  } catch (error) {
    throw withDecodedBefore(error, events);
  }
  return events;
}
