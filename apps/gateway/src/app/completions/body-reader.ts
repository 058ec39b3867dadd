/**
 * Reads an upstream body chunk by chunk, for the stream path. Cheaper than a Readable's async
 * iterator (an async generator, an end-of-stream watcher and several promises per chunk, a
 * measurable share of the streaming path in bench/): its listeners are set once, and a chunk
 * already buffered — often the whole answer, which arrives with the headers — is taken at once.
 * Failures are the iterator's too: the body's own error, or a premature close.
 */
import type { Readable } from 'node:stream';

export class BodyReader {
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly body: Readable) {
    body.on('readable', this.onEvent);
    body.once('end', () => {
      this.ended = true;
      this.onEvent();
    });
    body.once('error', (error: Error) => {
      this.failure ??= error;
      this.onEvent();
    });
    body.once('close', () => {
      if (!this.ended) this.failure ??= prematureClose();
      this.onEvent();
    });
  }

  /**
   * Everything buffered as one chunk, or null once the body ended — at once when it is there
   * (no promise, no microtask: `await` only a promise), else a promise of it; the body's
   * failure is thrown, or rejects the promise.
   */
  next(): Buffer | null | Promise<Buffer | null> {
    const ready = this.take();
    if (ready instanceof Error) throw ready;
    if (ready !== undefined) return ready;
    return new Promise((resolve, reject) => {
      this.wake = () => {
        const now = this.take();
        if (now === undefined) return;
        this.wake = undefined;
        if (now instanceof Error) reject(now);
        else resolve(now);
      };
    });
  }

  private take(): Buffer | null | Error | undefined {
    if (this.failure !== undefined) return this.failure;
    const chunk = this.body.read() as Buffer | null;
    if (chunk !== null) return chunk;
    return this.ended ? null : undefined;
  }

  private readonly onEvent = (): void => this.wake?.();
}

/** What a Readable's async iterator reports for a body that closed before its end. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}
