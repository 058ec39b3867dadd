/**
 * One abort signal per upstream attempt, fed by three causes: the attempt's own timer
 * (per-deployment timeout, time to first token, idle gap), the request deadline, and the
 * client going away. Remembers which fired so the failure can say why.
 */
import { AbortLink } from './abort-link';

export type AbortCause = 'timeout' | 'deadline' | 'idle' | 'client';

export class AttemptTimer {
  /** Passed to the upstream request; aborting it cancels the request or its body. */
  readonly signal = new AbortLink();
  cause: AbortCause | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly onClientAbort = (): void => this.abort('client');

  constructor(private readonly clientSignal: AbortLink) {
    if (clientSignal.aborted) this.abort('client');
    else clientSignal.once('abort', this.onClientAbort);
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
    this.signal.abort();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.clientSignal.removeListener('abort', this.onClientAbort);
  }
}
