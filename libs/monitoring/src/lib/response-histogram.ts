/**
 * Response-time percentiles from the roll-ups. A roll-up row keeps sum/min/max, which give a
 * mean but no p50/p95; keeping every sample would cost what the roll-ups exist to save. So each
 * row also counts its samples in 17 fixed buckets (bounds below, roughly ×1.5 apart, so a
 * percentile read from them is off by at most one bucket's width — about a third of its value,
 * exact at min and max). Fixed bounds make buckets add up across flushes, hours and days with
 * an element-wise sum in SQL, like the other counters.
 */

/** Upper bounds (ms, inclusive) of every bucket but the last, which takes everything slower. */
export const HISTOGRAM_BOUNDS_MS: readonly number[] = Object.freeze([10, 25, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000]);
export const HISTOGRAM_BUCKETS = HISTOGRAM_BOUNDS_MS.length + 1;

export function histogramBucket(ms: number): number {
  for (let i = 0; i < HISTOGRAM_BOUNDS_MS.length; i++) if (ms <= HISTOGRAM_BOUNDS_MS[i]) return i;
  return HISTOGRAM_BOUNDS_MS.length;
}

export function emptyHistogram(): number[] {
  return new Array<number>(HISTOGRAM_BUCKETS).fill(0);
}

/** Adds `from` into `into` (shorter arrays count as zeros: rows written before histograms existed). */
export function addHistogram(into: number[], from: readonly number[]): number[] {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + from[i];
  return into;
}

/**
 * The `q` quantile (0..1) of the samples counted in `histogram`, interpolated linearly inside
 * its bucket and kept within the samples' known `minMs`..`maxMs`. Null without samples.
 */
export function histogramQuantile(histogram: readonly number[], q: number, minMs: number, maxMs: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    const n = histogram[i];
    if (n === 0) continue;
    if (seen + n >= rank) {
      const lower = Math.max(i === 0 ? 0 : HISTOGRAM_BOUNDS_MS[i - 1], minMs);
      const upper = Math.min(i < HISTOGRAM_BOUNDS_MS.length ? HISTOGRAM_BOUNDS_MS[i] : maxMs, maxMs);
      const within = (rank - seen) / n;
      return Math.min(Math.max(lower + (Math.max(upper, lower) - lower) * within, minMs), maxMs);
    }
    seen += n;
  }
  return maxMs;
}
