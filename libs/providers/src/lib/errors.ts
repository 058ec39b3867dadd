import type { StreamEvent, Wire } from './contract';

/**
 * The client's request cannot be expressed in this deployment's wire protocol (e.g. a forced
 * tool choice without the tool's name, for Anthropic). Raised while building the upstream
 * request: the caller's fault, never the upstream's.
 */
export class UntranslatableRequestError extends Error {
  constructor(message: string, readonly param: string | null = null) {
    super(message);
    this.name = 'UntranslatableRequestError';
  }
}

/** The upstream answered, but not in a form we can pass on: garbage, a cut stream, an error event. */
export class UpstreamProtocolError extends Error {
  constructor(
    message: string,
    /** Short machine-readable reason used in `x-rainymodel-fallback-reason`. */
    readonly reason: 'malformed_response' | 'malformed_chunk' | 'stream_cut' | 'upstream_error_event' | 'upstream_too_large',
  ) {
    super(message);
    this.name = 'UpstreamProtocolError';
  }

  /**
   * Chunks a stream decoder completed in the same `push` before it met the fault. After the
   * first byte went to the client they are still forwarded, before the error event.
   */
  decodedBefore: readonly StreamEvent[] = [];

  /** The same for a `WireStream`: the client's bytes due before the fault. */
  wireBefore: Wire = '';
}

/** For decoders: attaches the chunks decoded so far in this push to a protocol error. */
export function withDecodedBefore(error: unknown, events: readonly StreamEvent[]): unknown {
  if (error instanceof UpstreamProtocolError) error.decodedBefore = events;
  return error;
}

/** An upstream event (or whole body) grew past its cap: failed rather than buffered without bound. */
export function tooLarge(what: string, max: number): UpstreamProtocolError {
  return new UpstreamProtocolError(`upstream sent ${what} larger than ${max} bytes`, 'upstream_too_large');
}
