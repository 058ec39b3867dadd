/**
 * An admin panel user for the end-to-end tests: an HttpBrowser signed in through the panel's
 * own flow (/admin → authorize → sign-in page → /admin/callback), holding the form token the
 * panel's pages carry, and posting the panel's forms as the browser would.
 */
import { csrfToken, formAction, HttpBrowser, type BrowserResponse } from './http-browser';

export interface AdminPanelUser {
  readonly browser: HttpBrowser;
  /** Posts a panel form (the CSRF token added); answers are not followed. */
  post(path: string, fields?: Record<string, string>): Promise<BrowserResponse>;
}

export async function signInToAdminPanel(baseUrl: string, email: string, password: string): Promise<AdminPanelUser> {
  const browser = new HttpBrowser();
  const signInPage = await browser.follow(`${baseUrl}/admin/users`, 'about:never');
  if (!signInPage.body.includes('name="password"')) throw new Error(`expected the sign-in page, got ${signInPage.status}:\n${signInPage.body.slice(0, 1500)}`);
  const action = new URL(formAction(signInPage.body, '/login'), signInPage.url).toString();
  const panel = await browser.follow(action, 'about:never', { form: { _csrf: csrfToken(signInPage.body), email, password } });
  if (panel.status !== 200 || !panel.url.startsWith(`${baseUrl}/admin/`)) throw new Error(`admin sign-in ended at ${panel.url} with ${panel.status}:\n${panel.body.slice(0, 1500)}`);
  const csrf = csrfToken(panel.body);
  return {
    browser,
    post: (path, fields = {}) => browser.request(`${baseUrl}${path}`, { form: { _csrf: csrf, ...fields } }),
  };
}
