/** Anthropic's SSE framing: every event named, `event: <type>\ndata: {json}\n\n`. */
export function sseEvent(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The error event that ends a stream whose upstream failed after it began (no `message_stop` follows). */
export function streamErrorEvent(errorType: string, message: string): string {
  return sseEvent('error', { type: 'error', error: { type: errorType, message } });
}
