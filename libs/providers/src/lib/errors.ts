/** The upstream answered, but not in a form we can pass on: garbage, a cut stream, an error event. */
export class UpstreamProtocolError extends Error {
  constructor(
    message: string,
    /** Short machine-readable reason used in `x-rainymodel-fallback-reason`. */
    readonly reason: 'malformed_response' | 'malformed_chunk' | 'stream_cut' | 'upstream_error_event',
  ) {
    super(message);
    this.name = 'UpstreamProtocolError';
  }
}
