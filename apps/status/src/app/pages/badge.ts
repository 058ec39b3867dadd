/** Shields-style SVG badges: a component's status, or its uptime over a window. */
import { statusLabel, type ShownStatus } from '@orcest/monitoring';
import { escapeHtml, STATUS_COLORS } from './html';

/** Rough Verdana 11px advance, enough to size the two halves of a badge. */
function textWidth(text: string): number {
  return Math.round(text.length * 6.6 + 10);
}

export function badgeSvg(label: string, message: string, color: string): string {
  const lw = textWidth(label);
  const mw = textWidth(message);
  const w = lw + mw;
  const l = escapeHtml(label);
  const m = escapeHtml(message);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${m}"><title>${l}: ${m}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="${lw / 2}" y="14">${l}</text><text x="${lw + mw / 2}" y="14">${m}</text></g></svg>`;
}

export function statusBadge(name: string, status: ShownStatus): string {
  return badgeSvg(name, statusLabel(status).toLowerCase(), STATUS_COLORS[status]);
}

export function uptimeBadge(name: string, window: string, ratio: number | null): string {
  if (ratio === null) return badgeSvg(`${name} ${window}`, 'no data', STATUS_COLORS.nodata);
  const color = ratio >= 0.999 ? STATUS_COLORS.operational : ratio >= 0.99 ? '#97ca00' : ratio >= 0.95 ? STATUS_COLORS.degraded_performance : STATUS_COLORS.major_outage;
  return badgeSvg(`${name} ${window}`, `${(Math.floor(ratio * 10000) / 100).toFixed(2)}%`, color);
}
