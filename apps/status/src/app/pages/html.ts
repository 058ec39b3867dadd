/** Safe HTML building: every interpolated value goes through `escapeHtml`, and a shared page frame. */
import type { ShownStatus } from '@orcest/monitoring';

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export const STATUS_COLORS: Record<ShownStatus | 'nodata', string> = {
  operational: '#2fa44f',
  degraded_performance: '#e3b341',
  partial_outage: '#e8833a',
  major_outage: '#d73a49',
  under_maintenance: '#3b82f6',
  no_data: '#8b949e',
  nodata: '#8b949e',
};

export function percent(ratio: number | null, digits = 2): string {
  if (ratio === null) return '—';
  // Never round 99.996 % up to a perfect 100 %: a failure must stay visible.
  const factor = 10 ** digits;
  return `${(Math.floor(ratio * 100 * factor) / factor).toFixed(digits)}%`;
}

export function formatTime(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const CSS = `
:root{--bg:#f6f8fa;--card:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--ok:#2fa44f;--deg:#e3b341;--part:#e8833a;--major:#d73a49;--maint:#3b82f6;--none:#c9d1d9}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;--none:#30363d}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:860px;margin:0 auto;padding:24px 16px 48px}a{color:inherit}h1{font-size:1.5rem;margin:0 0 16px}h2{font-size:1.1rem;margin:28px 0 10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:0 0 12px}
.banner{color:#fff;font-weight:600;font-size:1.1rem;border:0}.banner .since{font-weight:400;opacity:.9}.banner .note{font-weight:400;font-size:.85rem;opacity:.95}.since{color:var(--muted);font-size:.85rem}.muted{color:var(--muted);font-size:.85rem}
.s-operational{--c:var(--ok)}.s-degraded_performance{--c:var(--deg)}.s-partial_outage{--c:var(--part)}.s-major_outage{--c:var(--major)}.s-under_maintenance{--c:var(--maint)}.s-nodata{--c:var(--none)}.s-no_data{--c:#8b949e}
.banner{background:var(--c)}.dot{display:inline-block;width:10px;height:10px;border-radius:50%;background:var(--c);margin-right:6px}
.comp{padding:12px 0;border-top:1px solid var(--line)}.comp:first-of-type{border-top:0}
.row{display:flex;justify-content:space-between;align-items:baseline;gap:8px;flex-wrap:wrap}.label{color:var(--c);font-weight:600;font-size:.9rem}
.bars{display:flex;gap:2px;height:34px;margin:8px 0 4px}.bar{flex:1;border-radius:2px;background:var(--c);position:relative;min-width:2px}
.bar:hover,.bar:focus{opacity:.75;outline:none}.bar:hover::after,.bar:focus::after{content:attr(data-tip);position:absolute;bottom:40px;left:50%;transform:translateX(-50%);white-space:pre;background:var(--fg);color:var(--bg);padding:6px 8px;border-radius:4px;font-size:.75rem;z-index:2;pointer-events:none}
.axis{display:flex;justify-content:space-between}.spark{width:100%;height:40px;display:block}.spark polyline{fill:none;stroke:var(--maint);stroke-width:1.5}
.incident h3{margin:0 0 4px;font-size:1rem}.update{margin:6px 0 0}.update b{text-transform:capitalize}
footer{margin-top:32px;text-align:center}footer a{margin:0 6px}
.d30{display:none}@media (max-width:600px){.bar:nth-child(-n+60){display:none}.d90{display:none}.d30{display:inline}h1{font-size:1.25rem}}
form.admin label{display:block;margin:8px 0 2px;font-weight:600}form.admin input,form.admin select,form.admin textarea{width:100%;padding:6px;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg);font:inherit}
table.checks{width:100%;border-collapse:collapse;font-size:.85rem}table.checks td,table.checks th{text-align:left;padding:4px 6px;border-top:1px solid var(--line);vertical-align:top}code.raw-error{word-break:break-all}
button{margin-top:10px;padding:8px 14px;border:0;border-radius:6px;background:var(--maint);color:#fff;font:inherit;cursor:pointer}
`;

export function layout(title: string, body: string, options: { refreshSeconds?: number; head?: string } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark"><link rel="icon" href="/favicon.svg" type="image/svg+xml"><title>${escapeHtml(title)}</title>${options.refreshSeconds ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">` : ''}
${options.head ?? ''}<style>${CSS}</style></head><body><main>${body}</main></body></html>`;
}
