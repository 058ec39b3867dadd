/**
 * History arithmetic: which hourly and daily bucket a check falls in, how results add up in a
 * bucket, and uptime over a window from the buckets — with maintenance kept out of both the
 * numerator and the denominator. Pure; the store upserts what `RollupBatch` accumulates.
 */
import { addHistogram, emptyHistogram, histogramBucket, histogramQuantile } from './response-histogram';

export type Period = 'hour' | 'day';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export function bucketStart(period: Period, at: number): number {
  const size = period === 'hour' ? HOUR : DAY;
  return Math.floor(at / size) * size;
}

export interface CheckSample {
  readonly componentId: string;
  readonly at: number;
  readonly ok: boolean;
  readonly maintenance: boolean;
  readonly responseMs: number;
}

export interface RollupDelta {
  readonly componentId: string;
  readonly period: Period;
  readonly bucket: number;
  count: number;
  successes: number;
  maintenance: number;
  responseSumMs: number;
  responseMinMs: number;
  responseMaxMs: number;
  /** Samples per response-time bucket (`response-histogram.ts`), for p50/p95. */
  histogram: number[];
}

/** Adds results up per (component, period, bucket) between two flushes, so each key is one upsert. */
export class RollupBatch {
  private readonly deltas = new Map<string, RollupDelta>();

  add(sample: CheckSample): void {
    for (const period of ['hour', 'day'] as const) {
      const bucket = bucketStart(period, sample.at);
      const key = `${sample.componentId}\u0000${period}\u0000${bucket}`;
      let delta = this.deltas.get(key);
      if (!delta) {
        delta = { componentId: sample.componentId, period, bucket, count: 0, successes: 0, maintenance: 0, responseSumMs: 0, responseMinMs: sample.responseMs, responseMaxMs: sample.responseMs, histogram: emptyHistogram() };
        this.deltas.set(key, delta);
      }
      if (sample.maintenance) delta.maintenance++;
      else {
        delta.count++;
        if (sample.ok) delta.successes++;
      }
      delta.responseSumMs += sample.responseMs;
      delta.responseMinMs = Math.min(delta.responseMinMs, sample.responseMs);
      delta.responseMaxMs = Math.max(delta.responseMaxMs, sample.responseMs);
      delta.histogram[histogramBucket(sample.responseMs)]++;
    }
  }

  /** Adds an already-summed delta back (a flush that failed is retried with the next one). */
  merge(other: RollupDelta): void {
    const key = `${other.componentId}\u0000${other.period}\u0000${other.bucket}`;
    const delta = this.deltas.get(key);
    if (!delta) {
      this.deltas.set(key, { ...other, histogram: [...other.histogram] });
      return;
    }
    delta.count += other.count;
    delta.successes += other.successes;
    delta.maintenance += other.maintenance;
    delta.responseSumMs += other.responseSumMs;
    delta.responseMinMs = Math.min(delta.responseMinMs, other.responseMinMs);
    delta.responseMaxMs = Math.max(delta.responseMaxMs, other.responseMaxMs);
    addHistogram(delta.histogram, other.histogram);
  }

  get size(): number {
    return this.deltas.size;
  }

  /** The accumulated deltas; the batch is empty afterwards. */
  drain(): RollupDelta[] {
    const out = [...this.deltas.values()];
    this.deltas.clear();
    return out;
  }
}

/** One stored bucket as the read side sees it. */
export interface RollupRow {
  readonly period: Period;
  readonly bucket: number;
  readonly count: number;
  readonly successes: number;
  readonly maintenance: number;
  readonly responseSumMs: number;
  readonly responseMinMs: number;
  readonly responseMaxMs: number;
  /** Empty for rows written before histograms existed: no percentiles for those. */
  readonly histogram: readonly number[];
}

export type UptimeWindow = '24h' | '7d' | '30d' | '90d';
export const UPTIME_WINDOWS: readonly UptimeWindow[] = ['24h', '7d', '30d', '90d'];

/**
 * Which buckets make up a window ending at `now`: hours for 24 h and 7 d (the current hour
 * included), days for 30 d and 90 d (today included). The hourly table only needs to keep
 * a week, the daily one three months.
 */
export function windowBuckets(window: UptimeWindow, now: number): { period: Period; from: number } {
  switch (window) {
    case '24h':
      return { period: 'hour', from: bucketStart('hour', now) - 23 * HOUR };
    case '7d':
      return { period: 'hour', from: bucketStart('hour', now) - 167 * HOUR };
    case '30d':
      return { period: 'day', from: bucketStart('day', now) - 29 * DAY };
    case '90d':
      return { period: 'day', from: bucketStart('day', now) - 89 * DAY };
  }
}

export interface Uptime {
  /** successes / counted checks, 0..1; null when nothing was counted in the window. */
  readonly ratio: number | null;
  readonly checks: number;
  readonly failures: number;
  readonly maintenanceChecks: number;
}

export function uptime(rows: readonly RollupRow[], window: UptimeWindow, now: number): Uptime {
  const { period, from } = windowBuckets(window, now);
  let count = 0;
  let successes = 0;
  let maintenance = 0;
  for (const row of rows) {
    if (row.period !== period || row.bucket < from || row.bucket > now) continue;
    count += row.count;
    successes += row.successes;
    maintenance += row.maintenance;
  }
  return { ratio: count === 0 ? null : successes / count, checks: count, failures: count - successes, maintenanceChecks: maintenance };
}

export interface DayBar {
  /** UTC day start. */
  readonly day: number;
  readonly uptime: Uptime;
}

/** The 90 daily bars of the dashboard, oldest first; days without data have a null ratio. */
export function dailyBars(rows: readonly RollupRow[], now: number, days = 90): DayBar[] {
  const byDay = new Map<number, RollupRow>();
  for (const row of rows) if (row.period === 'day') byDay.set(row.bucket, row);
  const today = bucketStart('day', now);
  const bars: DayBar[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = today - i * DAY;
    const row = byDay.get(day);
    bars.push({
      day,
      uptime: row
        ? { ratio: row.count === 0 ? null : row.successes / row.count, checks: row.count, failures: row.count - row.successes, maintenanceChecks: row.maintenance }
        : { ratio: null, checks: 0, failures: 0, maintenanceChecks: 0 },
    });
  }
  return bars;
}

export interface ResponsePoint {
  /** Start of the point's span (an hour, or `stepHours` hours). */
  readonly from: number;
  readonly hours: number;
  /** Checks behind the point (maintenance included: a response time is a response time). */
  readonly samples: number;
  /** Mean over every sample; null without samples. */
  readonly avgMs: number | null;
  readonly minMs: number | null;
  readonly maxMs: number | null;
  /** From the histograms; null without samples or for rows older than histograms. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
}

/**
 * Response times over the last `hours` hours (current included), oldest first, one point per
 * `stepHours` hours (24 h: hourly; 7 d: 6-hour points keep the chart readable).
 */
export function responseSeries(rows: readonly RollupRow[], now: number, hours = 24, stepHours = 1): ResponsePoint[] {
  const byHour = new Map<number, RollupRow>();
  for (const row of rows) if (row.period === 'hour') byHour.set(row.bucket, row);
  const current = bucketStart('hour', now);
  const points: ResponsePoint[] = [];
  for (let start = hours - 1; start >= 0; start -= stepHours) {
    const from = current - start * HOUR;
    let samples = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    const histogram: number[] = [];
    for (let h = 0; h < stepHours && start - h >= 0; h++) {
      const row = byHour.get(from + h * HOUR);
      const n = row ? row.count + row.maintenance : 0;
      if (!row || n === 0) continue;
      samples += n;
      sum += row.responseSumMs;
      min = Math.min(min, row.responseMinMs);
      max = Math.max(max, row.responseMaxMs);
      addHistogram(histogram, row.histogram);
    }
    points.push(
      samples === 0
        ? { from, hours: stepHours, samples: 0, avgMs: null, minMs: null, maxMs: null, p50Ms: null, p95Ms: null }
        : { from, hours: stepHours, samples, avgMs: sum / samples, minMs: min, maxMs: max, p50Ms: histogramQuantile(histogram, 0.5, min, max), p95Ms: histogramQuantile(histogram, 0.95, min, max) },
    );
  }
  return points;
}

export const HOUR_MS = HOUR;
export const DAY_MS = DAY;
