/**
 * One upstream HTTP exchange on undici's low-level `dispatch` (its handler callbacks), not on
 * `request()`: no Readable per body, no stream machinery per chunk, no listener per event — the
 * bytes go from undici's parser straight to whoever reads them. Against the same keep-alive
 * Agent, an exchange costs about a quarter less CPU this way than through `request()` and a
 * Readable (bench/upstream-exchange.mjs).
 *
 * The body is read in one of two ways:
 * - `next()` (streams): everything buffered as one chunk, at once when it is there (no promise,
 *   no microtask), else a promise of the next; null at the end. More than HIGH_WATER_BYTES
 *   unread pauses the upstream (TCP backpressure) until it is taken.
 * - `text(maxBytes)` (whole answers, error bodies): the whole body as UTF-8, with a cap: an
 *   upstream that answers without end must not make the gateway buffer without end. Past the
 *   cap the exchange is aborted (the connection is not reused) and the read fails with
 *   `upstream_too_large` — or, for an error body only quoted in a message, ends with what came.
 *
 * A failure of the exchange (the connection cut, an abort through `signal`) is thrown by the
 * next read, or rejects the read waiting. `signal` aborts the exchange at any point: before the
 * headers `send` rejects, after them the body's read does.
 */
import type { Dispatcher } from 'undici';
import { tooLarge } from '../errors';

/**
 * What an abort signal must offer: an AbortSignal, or `aborted` with `once` and `removeListener`
 * for an `abort` event (an EventEmitter, or the gateway's lighter AbortLink).
 */
export type UpstreamSignal =
  | AbortSignal
  | { readonly aborted: boolean; once(event: 'abort', listener: () => void): unknown; removeListener(event: 'abort', listener: () => void): unknown };

/** Unread body bytes past which the upstream is paused. */
const HIGH_WATER_BYTES = 64 * 1024;

export interface UpstreamResponse {
  readonly statusCode: number;
  /** A response header's value (the first, if repeated), by its lowercase name. */
  header(name: string): string | undefined;
  readonly body: UpstreamBody;
}

export interface UpstreamBody {
  next(): Buffer | null | Promise<Buffer | null>;
  text(maxBytes: number, onOverflow?: 'fail' | 'truncate'): Promise<string>;
}

/** A `text` read in progress. */
interface WholeRead {
  readonly maxBytes: number;
  readonly onOverflow: 'fail' | 'truncate';
  readonly resolve: (text: string) => void;
  readonly reject: (error: Error) => void;
}

/** Sends `options` through `dispatcher`; settles once the response's headers are in (its body is read from the response). */
export function exchange(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, signal: UpstreamSignal | undefined): Promise<UpstreamResponse> {
  const handler = new UpstreamExchange(signal);
  dispatcher.dispatch(options, handler);
  return handler.response();
}

export class UpstreamExchange implements Dispatcher.DispatchHandler, UpstreamResponse, UpstreamBody {
  statusCode = 0;
  private rawHeaders: Buffer[] = [];
  private readonly started: Promise<UpstreamResponse>;
  private resolveStart!: (response: UpstreamResponse) => void;
  private rejectStart!: (error: Error) => void;
  private headersIn = false;

  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private failure: Error | undefined;
  /** A `next()` waiting for bytes, the end or a failure. */
  private wake: (() => void) | undefined;
  private whole: WholeRead | undefined;
  private resumeUpstream: (() => void) | undefined;
  private paused = false;
  private abortExchange: ((error?: Error) => void) | undefined;
  private abortRequested = false;

  constructor(private readonly signal: UpstreamSignal | undefined) {
    this.started = new Promise((resolve, reject) => {
      this.resolveStart = resolve;
      this.rejectStart = reject;
    });
    if (signal === undefined) return;
    if (signal.aborted) this.abortRequested = true;
    else if ('addEventListener' in signal) signal.addEventListener('abort', this.onAbort, { once: true });
    else signal.once('abort', this.onAbort);
  }

  /** Settles with the response once its headers are in, or with the failure before them. */
  response(): Promise<UpstreamResponse> {
    return this.started;
  }

  get body(): UpstreamBody {
    return this;
  }

  header(name: string): string | undefined {
    const raw = this.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const key = raw[i];
      if (key.length === name.length && key.toString('latin1').toLowerCase() === name) return raw[i + 1].toString('latin1');
    }
    return undefined;
  }

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

  text(maxBytes: number, onOverflow: 'fail' | 'truncate' = 'fail'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.whole = { maxBytes, onOverflow, resolve, reject };
      // What came with the headers may already be all of it, or already too much.
      if (!this.overflowed()) this.settleWhole();
    });
  }

  // undici's handler callbacks.

  onConnect(abort: (error?: Error) => void): void {
    this.abortExchange = abort;
    if (this.abortRequested) abort();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // An informational answer (100 Continue, 103 Early Hints) comes before the response itself.
    if (statusCode < 200) return true;
    this.statusCode = statusCode;
    this.rawHeaders = rawHeaders;
    this.resumeUpstream = resume;
    this.headersIn = true;
    this.resolveStart(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.ended || this.failure !== undefined) return true;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.whole !== undefined) return !this.overflowed();
    this.wake?.();
    if (this.buffered <= HIGH_WATER_BYTES) return true;
    this.paused = true;
    return false;
  }

  onComplete(): void {
    this.ended = true;
    this.release();
    this.settleWhole();
    this.wake?.();
  }

  onError(error: Error): void {
    this.release();
    if (!this.headersIn) {
      this.rejectStart(error);
      return;
    }
    if (this.ended) return;
    this.failure ??= error;
    const whole = this.whole;
    this.whole = undefined;
    whole?.reject(this.failure);
    this.wake?.();
  }

  private readonly onAbort = (): void => {
    this.abortRequested = true;
    this.abortExchange?.();
  };

  /** The chunks buffered (joined), null at the end, the failure, or undefined: nothing yet. */
  private take(): Buffer | null | Error | undefined {
    if (this.failure !== undefined) return this.failure;
    const count = this.chunks.length;
    if (count > 0) {
      const chunk = count === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.buffered);
      this.chunks = [];
      this.buffered = 0;
      if (this.paused) {
        this.paused = false;
        this.resumeUpstream?.();
      }
      return chunk;
    }
    return this.ended ? null : undefined;
  }

  /** For a `text` read: past its cap, ends it (failed, or truncated) and aborts the exchange. True when it did. */
  private overflowed(): boolean {
    const whole = this.whole;
    if (whole === undefined || this.buffered <= whole.maxBytes) return false;
    this.whole = undefined;
    if (whole.onOverflow === 'truncate') whole.resolve(Buffer.concat(this.chunks, this.buffered).toString('utf8', 0, whole.maxBytes));
    else whole.reject(tooLarge('an answer', whole.maxBytes));
    this.failure = new Error('the answer was read up to its cap; the rest was not');
    this.abortExchange?.();
    return true;
  }

  private settleWhole(): void {
    const whole = this.whole;
    if (whole === undefined) return;
    if (this.failure !== undefined) {
      this.whole = undefined;
      whole.reject(this.failure);
      return;
    }
    if (!this.ended) return;
    this.whole = undefined;
    const chunks = this.chunks;
    whole.resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, this.buffered).toString('utf8'));
    this.chunks = [];
    this.buffered = 0;
  }

  /** The exchange is over: the signal no longer concerns it. */
  private release(): void {
    const signal = this.signal;
    if (signal === undefined) return;
    if ('removeEventListener' in signal) signal.removeEventListener('abort', this.onAbort);
    else signal.removeListener('abort', this.onAbort);
  }
}
