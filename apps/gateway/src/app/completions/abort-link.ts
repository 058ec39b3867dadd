/**
 * A minimal abort signal: an EventEmitter with `aborted` and an `abort` event, which undici
 * accepts in place of an AbortSignal. Node 20's AbortController/EventTarget cost a measurable
 * share of the hot path (see bench/), and each request needs two of them.
 */
import { EventEmitter } from 'node:events';

export class AbortLink extends EventEmitter {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}
