/**
 * One AbortController per upstream attempt, fed by three causes: the attempt's own timer
 * (per-deployment timeout, time to first token, idle gap), the request deadline, and the
 * client going away. Remembers which fired so the failure can say why.
 */
export type AbortCause = 'timeout' | 'deadline' | 'idle' | 'client';

export class AttemptTimer {
  readonly controller = new AbortController();
  cause: AbortCause | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly onClientAbort = (): void => this.abort('client');

  constructor(private readonly clientSignal: AbortSignal) {
    if (clientSignal.aborted) this.abort('client');
    else clientSignal.addEventListener('abort', this.onClientAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** (Re)starts the timer: after `ms` the attempt is aborted with `cause`. */
  arm(ms: number, cause: 'timeout' | 'deadline' | 'idle'): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.abort(cause), Math.max(0, ms));
  }

  /** Pushes an armed idle timer back by its full period: cheaper than clearing and re-arming per chunk. */
  refresh(): void {
    this.timer?.refresh();
  }

  abort(cause: AbortCause): void {
    if (this.cause) return;
    this.cause = cause;
    this.controller.abort();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.clientSignal.removeEventListener('abort', this.onClientAbort);
  }
}
