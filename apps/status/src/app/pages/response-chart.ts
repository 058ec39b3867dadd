/**
 * Response time as a real chart, drawn on the server as inline SVG: p50 (solid) and p95
 * (dashed) lines from the roll-ups' histograms, a y axis in ms with gridlines, time labels on
 * the x axis, and one `<title>` tooltip per point over a full-height column, so hovering (or a
 * tap on a phone) anywhere above a point names its span, p50, p95, mean and number of checks.
 * Colours come from the page's CSS variables, so dark mode needs nothing here. Coordinates are
 * in the viewBox's units and the SVG scales with its box, text included.
 */
import type { ResponsePoint } from '@orcest/monitoring';
import { escapeHtml } from './html';

export interface ChartOptions {
  readonly width: number;
  readonly height: number;
  /** The span's name for labels and the accessible summary: "24 h", "7 d". */
  readonly span: string;
  /** Small (dashboard): fewer labels, no legend. */
  readonly compact?: boolean;
}

const NICE_STEPS = [1, 2, 2.5, 5, 10];

/** The smallest "round" number ≥ value (10, 20, 25, 50, 100, …), so axis labels read well. */
export function niceCeiling(value: number): number {
  if (value <= 10) return 10;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of NICE_STEPS) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function pointLabel(p: ResponsePoint): string {
  const from = new Date(p.from);
  const to = new Date(p.from + p.hours * 3_600_000);
  const hhmm = (d: Date) => d.toISOString().slice(11, 16);
  const span = `${from.toISOString().slice(0, 10)} ${hhmm(from)}–${hhmm(to)} UTC`;
  if (p.samples === 0 || p.avgMs === null) return `${span}\nno checks`;
  const pct = p.p50Ms === null || p.p95Ms === null ? '' : `p50 ${formatMs(p.p50Ms)} · p95 ${formatMs(p.p95Ms)}\n`;
  return `${span}\n${pct}mean ${formatMs(p.avgMs)} · ${p.samples} check${p.samples === 1 ? '' : 's'}`;
}

export function renderResponseChart(points: readonly ResponsePoint[], options: ChartOptions): string {
  const { width, height, span, compact = false } = options;
  const left = compact ? 34 : 48;
  const right = 6;
  const top = compact ? 4 : 18;
  const bottom = compact ? 13 : 18;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const font = compact ? 8 : 12;
  // The p95 line is what tops the chart; points from before histograms fall back to the mean.
  const top95 = (p: ResponsePoint) => p.p95Ms ?? p.avgMs;
  const known = points.filter((p) => p.samples > 0);
  const maxValue = niceCeiling(Math.max(0, ...known.map((p) => top95(p) ?? 0)));
  const x = (i: number) => left + (points.length === 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v: number) => top + plotH - (Math.min(v, maxValue) / maxValue) * plotH;
  const label = `Response time, last ${span}`;
  const frame = `<svg class="chart${compact ? ' compact' : ''}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}" font-size="${font}">`;
  if (known.length === 0) {
    return `${frame}<title>${escapeHtml(label)}: no checks yet</title><rect class="frame" x="${left}" y="${top}" width="${plotW}" height="${plotH}"/><text x="${left + plotW / 2}" y="${top + plotH / 2 + font / 3}" text-anchor="middle">No response times yet (${escapeHtml(span)})</text></svg>`;
  }
  const grid = [0, 0.5, 1]
    .map((f) => {
      const v = maxValue * f;
      const gy = y(v).toFixed(1);
      return `<line class="grid" x1="${left}" x2="${width - right}" y1="${gy}" y2="${gy}"/><text x="${left - 4}" y="${(Number(gy) + font / 3).toFixed(1)}" text-anchor="end">${formatMs(v)}</text>`;
    })
    .join('');
  const xLabels = compact
    ? [`<text x="${left}" y="${height - 2}">${escapeHtml(span)} ago</text>`, `<text x="${width - right}" y="${height - 2}" text-anchor="end">now</text>`]
    : [0, Math.floor((points.length - 1) / 2), points.length - 1].map((i, k) => {
        const anchor = k === 0 ? 'start' : k === 1 ? 'middle' : 'end';
        // Days apart: label dates (MM-DD); hours apart: label times.
        const iso = new Date(points[i].from).toISOString();
        const text = k === 2 ? 'now' : span.endsWith('d') ? iso.slice(5, 10) : `${iso.slice(11, 16)} UTC`;
        return `<text x="${x(i).toFixed(1)}" y="${height - 4}" text-anchor="${anchor}">${escapeHtml(text)}</text>`;
      });
  const line = (cls: string, value: (p: ResponsePoint) => number | null) => {
    // A gap in the data is a gap in the line: one polyline per run of known points.
    const runs: string[][] = [[]];
    points.forEach((p, i) => {
      const v = p.samples > 0 ? value(p) : null;
      if (v === null) {
        if (runs[runs.length - 1].length > 0) runs.push([]);
        return;
      }
      runs[runs.length - 1].push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    });
    return runs
      .filter((r) => r.length > 0)
      .map((r) => (r.length === 1 ? `<circle class="${cls}" cx="${r[0].split(',')[0]}" cy="${r[0].split(',')[1]}" r="1.8"/>` : `<polyline class="${cls}" points="${r.join(' ')}"/>`))
      .join('');
  };
  const colW = plotW / Math.max(points.length - 1, 1);
  const hits = points
    .map((p, i) => `<rect class="hit" x="${(x(i) - colW / 2).toFixed(1)}" y="${top}" width="${colW.toFixed(1)}" height="${plotH}"><title>${escapeHtml(pointLabel(p))}</title></rect>`)
    .join('');
  const legend = compact ? '' : `<g class="legend"><line class="p50" x1="${width - 118}" x2="${width - 100}" y1="8" y2="8"/><text x="${width - 96}" y="${8 + font / 3}">p50</text><line class="p95" x1="${width - 66}" x2="${width - 48}" y1="8" y2="8"/><text x="${width - 44}" y="${8 + font / 3}">p95</text></g>`;
  return `${frame}<title>${escapeHtml(label)}: p50 and p95 in milliseconds</title>${grid}${xLabels.join('')}${legend}${line('p95', (p) => p.p95Ms ?? p.avgMs)}${line('p50', (p) => p.p50Ms ?? p.avgMs)}${hits}</svg>`;
}
