/**
 * One in-flight response of a fake upstream: writes, delays that stop when the client leaves,
 * and the deliberate socket cut. Knows whether the fake itself ended the connection, so the
 * server can count only the *client's* early disconnects as aborts.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export class Exchange {
  /** Set when the fake ends the connection on purpose (cut-stream, refuse, close): not a client abort. */
  endedByFake = false;
  private open = true;
  private readonly cancels = new Set<() => void>();

  constructor(private readonly res: ServerResponse) {}

  /** False once the connection closed, whoever closed it. */
  get alive(): boolean {
    return this.open;
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  /** Called by the server on the response's `close`: pending delays resolve at once. */
  closed(): void {
    this.open = false;
    for (const cancel of this.cancels) cancel();
    this.cancels.clear();
  }

  /** Resolves true after `ms`, or false as soon as the connection closes (no timer outlives it). */
  sleep(ms: number): Promise<boolean> {
    if (!this.open) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.cancels.delete(cancel);
        resolve(true);
      }, ms);
      const cancel = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      this.cancels.add(cancel);
    });
  }

  /** A whole response in one go. */
  send(status: number, contentType: string, body: string, extraHeaders?: OutgoingHttpHeaders): void {
    if (!this.open) return;
    this.res.writeHead(status, { ...extraHeaders, 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    this.res.end(body);
  }

  /**
   * Status and headers of a body sent in pieces (chunked). Flushed now unless `flush` is
   * false, so the client sees them before any body byte (what the stall behaviors need).
   */
  head(status: number, contentType: string, flush = true): void {
    if (!this.open) return;
    this.res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-cache' });
    if (flush) this.res.flushHeaders();
  }

  write(text: string): void {
    // Renderers may return '' (e.g. Ollama has no stream opening): an empty write is skipped.
    if (this.open && text !== '') this.res.write(text);
  }

  end(text = ''): void {
    if (this.open) this.res.end(text);
  }

  /**
   * Closes the connection without finishing the response (no chunked terminator, no end
   * marker). `end()` on the socket first flushes what was written, so the client receives
   * every chunk before the cut; `destroy()` then makes sure nothing lingers.
   */
  cut(): void {
    const socket = this.res.socket;
    this.endedByFake = true;
    if (!this.open || !socket) return;
    socket.end(() => socket.destroy());
  }
}
