/**
 * When each check runs. Checks are spread evenly over their interval (check i of n starts at
 * i/n of it), at most `concurrency` run at once, and a check is never started while the same
 * one is still running or waiting for a slot — so a hanging target delays only itself (each
 * check also has a deadline ≤ its interval) and nothing piles up. A check that could not run
 * on time runs as soon as it can, then keeps its cadence without catching up on missed runs.
 */
export interface ScheduledCheck {
  readonly id: string;
  readonly intervalMs: number;
}

export type RunCheck<T extends ScheduledCheck> = (check: T) => Promise<void>;

interface Entry<T> {
  readonly check: T;
  nextDue: number;
  timer: NodeJS.Timeout | undefined;
  /** Waiting for a slot or running. */
  busy: boolean;
}

export class CheckScheduler<T extends ScheduledCheck> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly waiting: Entry<T>[] = [];
  private running = 0;
  private stopped = true;
  private idle: (() => void) | undefined;
  /** Checks skipped because the previous run of the same check was still busy. */
  skipped = 0;

  constructor(
    private readonly run: RunCheck<T>,
    private readonly concurrency: number,
  ) {}

  start(checks: readonly T[]): void {
    this.stopped = false;
    const now = Date.now();
    checks.forEach((check, i) => {
      const entry: Entry<T> = { check, nextDue: now + Math.floor((i / checks.length) * check.intervalMs), timer: undefined, busy: false };
      this.entries.set(check.id, entry);
      this.arm(entry);
    });
  }

  get runningCount(): number {
    return this.running;
  }

  /** Stops scheduling; resolves once the checks already running have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.entries.values()) clearTimeout(entry.timer);
    this.entries.clear();
    this.waiting.length = 0;
    if (this.running > 0) await new Promise<void>((resolve) => (this.idle = resolve));
  }

  private arm(entry: Entry<T>): void {
    const delay = Math.max(0, entry.nextDue - Date.now());
    entry.timer = setTimeout(() => this.due(entry), delay);
  }

  private due(entry: Entry<T>): void {
    if (this.stopped) return;
    entry.nextDue += entry.check.intervalMs;
    // Missed runs are dropped, not replayed in a burst.
    if (entry.nextDue < Date.now()) entry.nextDue = Date.now() + entry.check.intervalMs;
    if (entry.busy) this.skipped++;
    else {
      entry.busy = true;
      this.waiting.push(entry);
      this.pump();
    }
    this.arm(entry);
  }

  private pump(): void {
    while (!this.stopped && this.running < this.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift() as Entry<T>;
      this.running++;
      this.run(entry.check)
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          entry.busy = false;
          if (this.running === 0 && this.idle) {
            this.idle();
            this.idle = undefined;
          }
          this.pump();
        });
    }
  }
}
