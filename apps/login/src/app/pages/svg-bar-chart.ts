/**
 * A bar chart drawn on the server as inline SVG: no script, no image request, readable by a
 * screen reader (role="img", a title, one <title> per bar) and scaled to any width by its
 * viewBox, so it works on a phone and under the pages' strict CSP.
 */
import { html, type SafeHtml } from '../http/html';

export interface BarChartInput {
  readonly title: string;
  readonly labels: readonly string[];
  readonly values: readonly number[];
  /** How a value reads in the axis and the tooltips ($0.12, 1,234). */
  readonly format: (value: number) => string;
  /** Label every n-th bar on the x axis (the rest only in tooltips). */
  readonly labelEvery?: number;
}

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 64, right: 8, top: 16, bottom: 28 } as const;

/** A round maximum for the axis (1, 2 or 5 × a power of ten), so the scale reads easily. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function barChart(input: BarChartInput): SafeHtml {
  const max = niceMax(Math.max(0, ...input.values));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const n = Math.max(1, input.values.length);
  const slot = plotW / n;
  const barW = Math.max(1, slot * 0.7);
  const every = input.labelEvery ?? Math.max(1, Math.ceil(n / 6));
  const y = (v: number): number => PAD.top + plotH - (v / max) * plotH;
  const bars = input.values.map((v, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    const h = Math.max(v > 0 ? 1 : 0, (v / max) * plotH);
    return html`<rect x="${x.toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" style="fill:var(--accent)"><title>${input.labels[i] ?? ''}: ${input.format(v)}</title></rect>`;
  });
  const xLabels = input.labels.map((label, i) =>
    i % every === 0 ? html`<text x="${(PAD.left + i * slot + slot / 2).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle" font-size="11" style="fill:var(--muted)">${label}</text>` : '',
  );
  const grid = [0, 0.5, 1].map(
    (f) => html`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(max * f).toFixed(1)}" y2="${y(max * f).toFixed(1)}" style="stroke:var(--line)"/><text x="${PAD.left - 6}" y="${(y(max * f) + 4).toFixed(1)}" text-anchor="end" font-size="11" style="fill:var(--muted)">${input.format(max * f)}</text>`,
  );
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${input.title}" preserveAspectRatio="xMidYMid meet"><title>${input.title}</title>${grid}${bars}${xLabels}</svg>`;
}
