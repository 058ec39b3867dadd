/** The shell of every page: readable on a phone, dark mode that follows the system, no JavaScript. */
import { html, trusted, type SafeHtml } from '../http/html';

const STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1b1f24;--muted:#5b6470;--line:#d8dde3;--accent:#2f5bea;--bad:#b42318;--ok:#067647}
@media (prefers-color-scheme:dark){:root{--bg:#0f1216;--card:#171b21;--fg:#e6e9ee;--muted:#9aa4b1;--line:#2a313a;--accent:#7aa2ff;--bad:#ff8a80;--ok:#6ce9a6}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:26rem;margin:0 auto;padding:2rem 1rem}main.wide{max-width:72rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.5rem}
h1{font-size:1.4rem;margin:0 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input,select{width:100%;padding:.6rem .7rem;border:1px solid var(--line);border-radius:8px;background:var(--bg);color:var(--fg);font:inherit}
button{margin-top:1rem;padding:.6rem 1rem;border:0;border-radius:8px;background:var(--accent);color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:transparent;color:var(--fg);border:1px solid var(--line)}
.inline{display:inline}.inline button,.inline select{margin:0;width:auto;padding:.3rem .6rem}
.error{color:var(--bad);border:1px solid var(--bad);border-radius:8px;padding:.6rem .8rem;margin:0 0 1rem}
.notice{color:var(--ok);border:1px solid var(--ok);border-radius:8px;padding:.6rem .8rem;margin:0 0 1rem}
.muted{color:var(--muted)}code,.secret{font-family:ui-monospace,monospace;word-break:break-all}
nav{display:flex;gap:1rem;flex-wrap:wrap;margin-bottom:1rem}nav a{color:var(--accent)}
table{width:100%;border-collapse:collapse;font-size:.95rem}th,td{text-align:left;padding:.45rem .4rem;border-bottom:1px solid var(--line);vertical-align:top}
td.nowrap{white-space:nowrap}.table-wrap{overflow-x:auto}.pager{display:flex;gap:1rem;margin-top:1rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}dl.facts dt{font-weight:600}dl.facts dd{margin:0;word-break:break-word}
figure{margin:0 0 1rem}svg.chart{display:block;width:100%;height:auto}
.qr{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:center}.qr svg{width:min(100%,240px);height:auto;background:#fff;padding:8px;border-radius:8px}
ol.codes{columns:2;font-family:ui-monospace,monospace}
`;

export function layout(title: string, body: SafeHtml, options: { wide?: boolean } = {}): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Orcest Login</title><style>${trusted(STYLE)}</style></head>
<body><main class="${options.wide ? 'wide' : ''}">${body}</main></body></html>`.value;
}

/** The admin panel's and the account pages' one-off messages: a notice, an error, a secret shown once. */
export function panelMessages(f: { readonly notice?: string; readonly error?: string; readonly secret?: { readonly label: string; readonly value: string } }): SafeHtml {
  return html`${f.notice ? html`<p class="notice" role="status">${f.notice}</p>` : ''}
${f.error ? html`<p class="error" role="alert">${f.error}</p>` : ''}
${f.secret ? html`<p class="notice" role="status">${f.secret.label}: <span class="secret" data-testid="secret">${f.secret.value}</span><br><span class="muted">Copy it now: it is not shown again.</span></p>` : ''}`;
}
