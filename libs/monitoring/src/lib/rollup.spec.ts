import { DAY_MS, HOUR_MS, RollupBatch, bucketStart, dailyBars, responseSeries, uptime, type RollupRow } from './rollup';

const NOW = Date.UTC(2026, 10, 20, 15, 30); // 2026-11-20 15:30 UTC

/** Rows as the store would hold them after these samples. */
function rowsOf(batch: RollupBatch): RollupRow[] {
  return batch.drain().map((d) => ({ ...d }));
}

describe('roll-ups', () => {
  it('bucket by UTC hour and day', () => {
    expect(new Date(bucketStart('hour', NOW)).toISOString()).toBe('2026-11-20T15:00:00.000Z');
    expect(new Date(bucketStart('day', NOW)).toISOString()).toBe('2026-11-20T00:00:00.000Z');
  });

  it('add up count, successes, response sum/min/max per bucket, maintenance apart', () => {
    const batch = new RollupBatch();
    batch.add({ componentId: 'a', at: NOW, ok: true, maintenance: false, responseMs: 100 });
    batch.add({ componentId: 'a', at: NOW + 60_000, ok: false, maintenance: false, responseMs: 300 });
    batch.add({ componentId: 'a', at: NOW + 120_000, ok: false, maintenance: true, responseMs: 50 });
    batch.add({ componentId: 'a', at: NOW + HOUR_MS, ok: true, maintenance: false, responseMs: 200 });
    const rows = rowsOf(batch);
    const hour = rows.find((r) => r.period === 'hour' && r.bucket === bucketStart('hour', NOW));
    expect(hour).toMatchObject({ count: 2, successes: 1, maintenance: 1, responseSumMs: 450, responseMinMs: 50, responseMaxMs: 300 });
    const day = rows.find((r) => r.period === 'day');
    expect(day).toMatchObject({ count: 3, successes: 2, maintenance: 1, responseSumMs: 650, responseMinMs: 50, responseMaxMs: 300 });
    expect(rows).toHaveLength(3);
    // 50 ms, 100 ms, 300 ms and 200 ms in the buckets ending at 50, 100, 300 and 200 ms.
    expect(day?.histogram.slice(0, 8)).toEqual([0, 0, 1, 0, 1, 0, 1, 1]);
    expect(hour?.histogram.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('keep 90 days of a 30-second monitor in a few hundred roll-up rows (259,200 checks)', () => {
    const batch = new RollupBatch();
    for (let t = NOW - 90 * DAY_MS; t < NOW; t += 30_000) batch.add({ componentId: 'a', at: t, ok: true, maintenance: false, responseMs: 10 });
    const rows = batch.drain();
    expect(rows.reduce((n, r) => n + (r.period === 'day' ? r.count : 0), 0)).toBe(259_200);
    // The default retention keeps hourly rows 8 days and daily rows 400: 91 + 8 × 24 rows,
    // plus a day of raw checks (2,880): a few thousand rows in all.
    const kept = rows.filter((r) => r.period === 'day' || r.bucket >= NOW - 8 * DAY_MS);
    expect(kept.length).toBeLessThanOrEqual(91 + 8 * 24 + 1);
  });
});

describe('uptime windows', () => {
  const hourRow = (bucket: number, count: number, successes: number, maintenance = 0): RollupRow => ({ period: 'hour', bucket, count, successes, maintenance, responseSumMs: 0, responseMinMs: 0, responseMaxMs: 0, histogram: [] });
  const dayRow = (bucket: number, count: number, successes: number, maintenance = 0): RollupRow => ({ ...hourRow(bucket, count, successes, maintenance), period: 'day' });
  const thisHour = bucketStart('hour', NOW);
  const today = bucketStart('day', NOW);

  it('24 h counts the last 24 hourly buckets, current included, and nothing older', () => {
    const rows = [hourRow(thisHour, 100, 90), hourRow(thisHour - 23 * HOUR_MS, 100, 100), hourRow(thisHour - 24 * HOUR_MS, 100, 0)];
    expect(uptime(rows, '24h', NOW)).toEqual({ ratio: 190 / 200, checks: 200, failures: 10, maintenanceChecks: 0 });
  });

  it('7 d uses hours, 30 d and 90 d use days', () => {
    const rows = [hourRow(thisHour - 100 * HOUR_MS, 10, 5), dayRow(today - 29 * DAY_MS, 10, 10), dayRow(today - 30 * DAY_MS, 10, 0), dayRow(today - 89 * DAY_MS, 10, 0)];
    expect(uptime(rows, '7d', NOW).ratio).toBe(0.5);
    expect(uptime(rows, '30d', NOW).ratio).toBe(1);
    expect(uptime(rows, '90d', NOW).ratio).toBeCloseTo(10 / 30);
  });

  it('maintenance is excluded: a window of only maintenance has no uptime, not 0%', () => {
    expect(uptime([hourRow(thisHour, 0, 0, 50)], '24h', NOW)).toEqual({ ratio: null, checks: 0, failures: 0, maintenanceChecks: 50 });
    expect(uptime([hourRow(thisHour, 10, 10, 50)], '24h', NOW).ratio).toBe(1);
  });

  it('daily bars are 90 days, oldest first, empty days without a ratio', () => {
    const bars = dailyBars([dayRow(today, 4, 3), dayRow(today - 89 * DAY_MS, 2, 2)], NOW);
    expect(bars).toHaveLength(90);
    expect(bars[0]).toEqual({ day: today - 89 * DAY_MS, uptime: { ratio: 1, checks: 2, failures: 0, maintenanceChecks: 0 } });
    expect(bars[1].uptime.ratio).toBeNull();
    expect(bars[89].uptime.ratio).toBe(0.75);
  });

  it('the response series averages each hour over every sample, with p50/p95 from the histogram', () => {
    const histogram = [0, 0, 1, 0, 2, 0, 1]; // 50, 100, 100, 200
    const series = responseSeries([{ ...hourRow(thisHour, 3, 3, 1), responseSumMs: 400, responseMinMs: 50, responseMaxMs: 200, histogram }], NOW);
    expect(series).toHaveLength(24);
    expect(series[23]).toMatchObject({ from: thisHour, hours: 1, samples: 4, avgMs: 100, minMs: 50, maxMs: 200 });
    expect(series[23].p50Ms).toBeGreaterThan(75);
    expect(series[23].p50Ms).toBeLessThanOrEqual(100);
    expect(series[23].p95Ms).toBeGreaterThan(150);
    expect(series[23].p95Ms).toBeLessThanOrEqual(200);
    expect(series[0]).toMatchObject({ avgMs: null, p50Ms: null, p95Ms: null });
  });

  it('over 7 days the series has one point per 6 hours, each summing its hours', () => {
    const rows = [hourRow(thisHour, 2, 2), hourRow(thisHour - HOUR_MS, 2, 2)].map((r) => ({ ...r, responseSumMs: 200, responseMinMs: 100, responseMaxMs: 100, histogram: [0, 0, 0, 0, 2] }));
    const series = responseSeries(rows, NOW, 168, 6);
    expect(series).toHaveLength(28);
    expect(series[27]).toMatchObject({ samples: 4, avgMs: 100, p50Ms: 100, p95Ms: 100, hours: 6 });
    expect(series[27].from).toBe(thisHour - 5 * HOUR_MS);
  });

  it('rows from before histograms (empty) still give a mean but no percentiles', () => {
    const series = responseSeries([{ ...hourRow(thisHour, 1, 1), responseSumMs: 80, responseMinMs: 80, responseMaxMs: 80 }], NOW);
    expect(series[23]).toMatchObject({ avgMs: 80, p50Ms: null, p95Ms: null });
  });
});
