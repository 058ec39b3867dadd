/**
 * The subscribe form (on the dashboard for everything, on a component's page for it alone) and
 * the pages the subscription links and posts lead to. Confirm and unsubscribe links show a
 * button: only its POST changes anything.
 */
import { escapeHtml, layout } from './html';

export function subscribeForm(options: { emailEnabled: boolean; components: readonly { id: string; name: string }[]; only?: { id: string; name: string } }): string {
  const scope = options.only
    ? `<input type="hidden" name="components" value="${escapeHtml(options.only.id)}">`
    : `<details class="pick"><summary class="muted">Only some components…</summary><div class="picks">${options.components.map((c) => `<label><input type="checkbox" name="components" value="${escapeHtml(c.id)}"> ${escapeHtml(c.name)}</label>`).join('')}</div></details>`;
  const what = options.only ? `incidents and maintenance of ${escapeHtml(options.only.name)}` : 'incidents and maintenance';
  const email = options.emailEnabled
    ? `<form method="post" action="/subscribe" class="sub" id="subscribe-email"><label for="sub-email">Email</label><div class="line"><input id="sub-email" type="email" name="email" required placeholder="you@example.com" autocomplete="email"><button>Subscribe</button></div>${scope}</form>`
    : '';
  const hook = `<form method="post" action="/subscribe" class="sub" id="subscribe-webhook"><label for="sub-hook">Webhook URL</label><div class="line"><input id="sub-hook" type="url" name="webhook_url" required placeholder="https://example.com/status-hook"><button>Add webhook</button></div>${scope}</form>`;
  return `<div class="card subscribe" id="subscribe"><strong>Get notified</strong> <span class="muted">of ${what}${options.emailEnabled ? ' by email or' : ' by'} webhook, or follow the <a href="/history.atom">Atom feed</a>.</span>${email}${hook}</div>`;
}

function page(title: string, body: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><div class="card">${body}</div><footer class="muted"><a href="/">Status page</a></footer>`);
}

export function emailPendingPage(email: string): string {
  return page('Check your inbox', `<p id="message">If <strong>${escapeHtml(email)}</strong> is not subscribed yet, a confirmation mail is on its way. Nothing is sent before you follow its link.</p>`);
}

export function webhookCreatedPage(url: string, secret: string, unsubscribeUrl: string): string {
  return page(
    'Webhook added',
    `<p id="message">Deliveries go to <code>${escapeHtml(url)}</code> as JSON POSTs in Statuspage's incident-webhook shape.</p>
<p>Signing secret (shown <strong>once</strong>, keep it):</p><p><code id="secret" class="raw-error">${escapeHtml(secret)}</code></p>
<p class="muted">Each delivery carries <code>x-status-signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;"&gt;</code>: check it, and that <code>t</code> is recent.</p>
<p class="muted">To stop: <a id="unsubscribe" href="${escapeHtml(unsubscribeUrl)}">unsubscribe</a> (the link is also in every delivery's <code>meta.unsubscribe</code>).</p>`,
  );
}

export function confirmPage(token: string, target: string | undefined): string {
  if (target === undefined) return page('Link expired', '<p id="message">This confirmation link is invalid or expired. Subscribe again from the status page.</p>');
  return page('Confirm your subscription', `<form method="post" action="/subscribe/confirm"><input type="hidden" name="token" value="${escapeHtml(token)}"><p id="message">Receive notifications at <strong>${escapeHtml(target)}</strong>?</p><button id="confirm">Confirm</button></form>`);
}

export function unsubscribePage(token: string, valid: boolean): string {
  if (!valid) return page('Link invalid', '<p id="message">This unsubscribe link is invalid.</p>');
  return page('Unsubscribe', `<form method="post" action="/subscribe/unsubscribe"><input type="hidden" name="token" value="${escapeHtml(token)}"><p id="message">Stop all notifications for this subscription?</p><button id="unsubscribe">Unsubscribe</button></form>`);
}

export function donePage(title: string, message: string): string {
  return page(title, `<p id="message">${escapeHtml(message)}</p>`);
}
