/** Spreading, the concurrency bound and no pile-up, with real timers and short intervals. */
import { CheckScheduler } from './check-scheduler';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('spreads the first runs over the interval instead of starting them all at once', async () => {
  const starts: number[] = [];
  const t0 = Date.now();
  const scheduler = new CheckScheduler(async () => void starts.push(Date.now() - t0), 100);
  scheduler.start(Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, intervalMs: 500 })));
  await sleep(480);
  await scheduler.stop();
  expect(starts).toHaveLength(10);
  // Check i starts near i/10 of the interval: the last one well after the first.
  expect(starts[9] - starts[0]).toBeGreaterThanOrEqual(400);
});

it('never runs more than `concurrency` checks at once, nor the same check twice at once', async () => {
  let running = 0;
  let peak = 0;
  const perCheck = new Map<string, number>();
  let overlap = false;
  const scheduler = new CheckScheduler<{ id: string; intervalMs: number }>(async (check) => {
    running++;
    peak = Math.max(peak, running);
    const n = (perCheck.get(check.id) ?? 0) + 1;
    perCheck.set(check.id, n);
    if (n > 1) overlap = true;
    await sleep(120); // slower than the interval: a hanging target
    perCheck.set(check.id, (perCheck.get(check.id) ?? 1) - 1);
    running--;
  }, 3);
  scheduler.start(Array.from({ length: 6 }, (_, i) => ({ id: `c${i}`, intervalMs: 50 })));
  await sleep(600);
  await scheduler.stop();
  expect(peak).toBe(3);
  expect(overlap).toBe(false);
  expect(scheduler.skipped).toBeGreaterThan(0); // runs that came due while still busy were dropped
  expect(running).toBe(0); // stop() waited for the running ones
});
