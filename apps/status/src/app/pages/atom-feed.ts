/** The incident history as an Atom feed (`/history.atom`, Statuspage's path), one entry per incident. */
import type { StatusSnapshot } from '../summary/status-snapshot';
import { escapeHtml } from './html';

export function renderAtomFeed(s: StatusSnapshot): string {
  const base = s.page.url;
  const updated = s.incidents.reduce((a, i) => (i.updatedAt > a ? i.updatedAt : a), new Date(0));
  const entries = s.incidents
    .map((i) => {
      const content = i.updates.map((u) => `<p><strong>${escapeHtml(u.status)}</strong> (${u.createdAt.toISOString()}) — ${escapeHtml(u.body)}</p>`).join('');
      return `<entry><id>tag:${escapeHtml(new URL(base).host)},2026:incident/${i.id}</id><title>${escapeHtml(i.name)}</title><published>${i.createdAt.toISOString()}</published><updated>${i.updatedAt.toISOString()}</updated><link rel="alternate" type="text/html" href="${escapeHtml(`${base}/incidents/${i.id}`)}"/><content type="html">${escapeHtml(content)}</content></entry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><id>tag:${escapeHtml(new URL(base).host)},2026:history</id><title>${escapeHtml(s.page.name)} — incident history</title><link rel="alternate" type="text/html" href="${escapeHtml(base)}"/><link rel="self" type="application/atom+xml" href="${escapeHtml(`${base}/history.atom`)}"/><updated>${(s.incidents.length ? updated : s.generatedAt).toISOString()}</updated>
${entries}
</feed>`;
}
