import { addHistogram, emptyHistogram, histogramBucket, histogramQuantile, HISTOGRAM_BUCKETS } from './response-histogram';

function histogramOf(samples: number[]): number[] {
  const h = emptyHistogram();
  for (const s of samples) h[histogramBucket(s)]++;
  return h;
}

describe('response-time histogram', () => {
  it('puts a sample in the first bucket whose bound holds it, and the slowest in the last', () => {
    expect(histogramBucket(0)).toBe(0);
    expect(histogramBucket(10)).toBe(0);
    expect(histogramBucket(11)).toBe(1);
    expect(histogramBucket(10_000)).toBe(HISTOGRAM_BUCKETS - 2);
    expect(histogramBucket(60_000)).toBe(HISTOGRAM_BUCKETS - 1);
  });

  it('p50 and p95 of a known spread land within one bucket of the exact values', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 20 + (i % 100) * 4); // 20..416 ms, uniform
    const h = histogramOf(samples);
    const p50 = histogramQuantile(h, 0.5, 20, 416) as number;
    const p95 = histogramQuantile(h, 0.95, 20, 416) as number;
    expect(p50).toBeGreaterThanOrEqual(150); // exact: 218
    expect(p50).toBeLessThanOrEqual(300);
    expect(p95).toBeGreaterThanOrEqual(300); // exact: 396
    expect(p95).toBeLessThanOrEqual(416);
  });

  it('stays within the known min and max, and is exact for a single value', () => {
    const h = histogramOf([120, 120, 120]);
    expect(histogramQuantile(h, 0.5, 120, 120)).toBe(120);
    expect(histogramQuantile(h, 0.95, 120, 120)).toBe(120);
    expect(histogramQuantile(histogramOf([50_000]), 0.5, 50_000, 50_000)).toBe(50_000);
  });

  it('no samples: no percentile (rows written before histograms existed)', () => {
    expect(histogramQuantile([], 0.5, 0, 0)).toBeNull();
    expect(histogramQuantile(emptyHistogram(), 0.95, 0, 0)).toBeNull();
  });

  it('adds element-wise, a shorter (older) row counting as zeros', () => {
    expect(addHistogram([1, 2], [3, 4, 5])).toEqual([4, 6, 5]);
  });
});
