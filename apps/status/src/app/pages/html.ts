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
main{max-width:1100px;margin:0 auto;padding:24px 16px 48px}a{color:inherit}h1{font-size:1.5rem;margin:0 0 16px}h2{font-size:1.1rem;margin:28px 0 10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:0 0 12px}
.banner{color:#fff;font-weight:600;font-size:1.1rem;border:0}.banner .since{font-weight:400;color:inherit;opacity:.9}.banner .note{font-weight:400;font-size:.85rem;opacity:.95}.since{color:var(--muted);font-size:.85rem}.muted{color:var(--muted);font-size:.85rem}
.s-operational{--c:var(--ok)}.s-degraded_performance{--c:var(--deg)}.s-partial_outage{--c:var(--part)}.s-major_outage{--c:var(--major)}.s-under_maintenance{--c:var(--maint)}.s-nodata{--c:var(--none)}.s-no_data{--c:#8b949e}
.banner{background:var(--c)}.dot{display:inline-block;width:10px;height:10px;border-radius:50%;background:var(--c);margin-right:6px}
.comp{padding:8px 0;border-top:1px solid var(--line);display:grid;grid-template-columns:180px minmax(0,1fr) 210px;gap:14px;align-items:center}.comp .axis{font-size:.78rem}
.who{display:flex;flex-direction:column;min-width:0}.who .state{font-size:.85rem}.who .label{font-size:.85rem}.comp:first-of-type{border-top:0}
.row{display:flex;justify-content:space-between;align-items:baseline;gap:8px;flex-wrap:wrap}.label{color:var(--c);font-weight:600;font-size:.9rem}
.bars{display:flex;gap:2px;height:24px;margin:0 0 2px}.bar{flex:1;border-radius:2px;background:var(--c);position:relative;min-width:2px}
.bar:hover,.bar:focus{opacity:.75;outline:none}.bar:hover::after,.bar:focus::after{content:attr(data-tip);position:absolute;bottom:30px;left:50%;transform:translateX(-50%);white-space:pre;background:var(--fg);color:var(--bg);padding:6px 8px;border-radius:4px;font-size:.75rem;z-index:2;pointer-events:none}
.axis{display:flex;justify-content:space-between;gap:8px;flex-wrap:wrap}
details.group{margin:0 0 8px}details.group>summary{cursor:pointer;list-style:none;display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 8px;padding:9px 14px;background:var(--card);border:1px solid var(--line);border-radius:8px}
details.group>summary::-webkit-details-marker{display:none}details.group>summary::before{content:"▸";color:var(--muted);width:.8em}details.group[open]>summary::before{content:"▾"}
details.group[open]>summary{border-radius:8px 8px 0 0}details.group>.card{border-top:0;border-radius:0 0 8px 8px;padding:0 14px;margin:0}summary .count{margin-left:auto}
.history{min-width:0}.scroll{overflow-x:auto}a.name{text-decoration:none}a.name:hover{text-decoration:underline}.rt{display:block}
.chart{display:block;width:100%;height:auto;overflow:visible}.chart text{fill:var(--muted)}.chart .grid{stroke:var(--line)}.chart .frame{fill:none;stroke:var(--line)}
.chart polyline,.chart line.p50,.chart line.p95{fill:none;stroke-width:1.6;stroke-linejoin:round}.chart .p50{stroke:var(--maint)}.chart .p95{stroke:var(--part);stroke-dasharray:4 3}
.chart circle.p50{fill:var(--maint);stroke:none}.chart circle.p95{fill:var(--part);stroke:none}.chart .hit{fill:transparent}.chart .hit:hover{fill:var(--line);fill-opacity:.5}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:8px 24px}.charts figure{margin:0 0 8px}.uptime-table{max-width:640px}.comp-head .bars{margin-top:6px}.charts figcaption{margin-bottom:2px}.crumbs{margin:0 0 4px}td.ok{color:var(--ok)}td.bad{color:var(--major);font-weight:600}.uptime-table{margin-bottom:10px}
.incident h3{margin:0 0 4px;font-size:1rem}.update{margin:6px 0 0}.update b{text-transform:capitalize}
footer{margin-top:32px;text-align:center}footer a{margin:0 6px}
.d30{display:none}@media (max-width:760px){.comp{grid-template-columns:1fr;gap:4px}.who{flex-direction:row;justify-content:space-between;flex-wrap:wrap;gap:0 8px}}
@media (max-width:600px){.bar:nth-child(-n+60){display:none}.d90{display:none}.d30{display:inline}h1{font-size:1.25rem}main{padding:16px 10px 40px}}
form.admin label{display:block;margin:8px 0 2px;font-weight:600}form.admin input,form.admin select,form.admin textarea{width:100%;padding:6px;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg);font:inherit}
table.checks{width:100%;border-collapse:collapse;font-size:.85rem}table.checks td,table.checks th{text-align:left;padding:4px 6px;border-top:1px solid var(--line);vertical-align:top}code.raw-error{word-break:break-all}
.subscribe label{display:block;margin:10px 0 2px;font-weight:600;font-size:.9rem}.sub .line{display:flex;gap:8px}.sub .line input{flex:1;min-width:0;padding:7px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);font:inherit}.sub .line button{margin-top:0}
.pick{margin-top:6px}.pick summary{cursor:pointer}.picks{display:flex;flex-wrap:wrap;gap:2px 14px;margin-top:4px;font-size:.9rem}.picks label{display:inline;font-weight:400;margin:0}
button{margin-top:10px;padding:8px 14px;border:0;border-radius:6px;background:var(--maint);color:#fff;font:inherit;cursor:pointer}
`;

export function layout(title: string, body: string, options: { refreshSeconds?: number; head?: string } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark"><link rel="icon" href="/favicon.svg" type="image/svg+xml"><title>${escapeHtml(title)}</title>${options.refreshSeconds ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">` : ''}
${options.head ?? ''}<style>${CSS}</style></head><body><main>${body}</main></body></html>`;
}
