/** The admin page for two-factor sign-in: which roles require it. Resets are on each user's row. */
import { ROLES } from '@orcest/auth';
import type { Role } from '@orcest/db';
import { html } from '../http/html';
import { adminFrame, type AdminFrame } from './admin-pages';

export function twoFactorAdminPage(f: AdminFrame, required: ReadonlySet<Role>): string {
  return adminFrame(
    'Two-factor sign-in',
    f,
    html`<p class="muted">A user of a role that requires it sets up an authenticator app at their next sign-in (existing sessions stay). Reset a user's two-factor from the Users page when they lost their phone and their recovery codes.</p>
<form method="post" action="/admin/two-factor" class="card"><input type="hidden" name="_csrf" value="${f.csrf}">
${ROLES.map((r) => html`<label><input type="checkbox" name="require_${r}" ${required.has(r as Role) ? html`checked` : ''} style="width:auto"> ${r} must use two-factor sign-in</label>`)}
<button type="submit">Save</button></form>`,
  );
}
