/**
 * A minimal abort signal: `aborted`, and `once`/`removeListener` for its one event, the subset
 * of EventEmitter the upstream exchange and the attempt timers use. Node 20's
 * AbortController/EventTarget cost a measurable share of the hot path (see bench/), and so did
 * an EventEmitter per link (its construction, `once`'s wrapper, the listener bookkeeping); each
 * request needs two links, usually with one listener each.
 */
export class AbortLink {
  aborted = false;
  private listeners: Array<() => void> | undefined;

  /** `listener` runs once, when the link aborts. */
  once(_event: 'abort', listener: () => void): this {
    if (this.listeners === undefined) this.listeners = [listener];
    else this.listeners.push(listener);
    return this;
  }

  removeListener(_event: 'abort', listener: () => void): this {
    const listeners = this.listeners;
    if (listeners === undefined) return this;
    const at = listeners.lastIndexOf(listener);
    if (at !== -1) listeners.splice(at, 1);
    return this;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}
