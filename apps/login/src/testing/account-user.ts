/**
 * A signed-in user of the account pages for the end-to-end tests: an HttpBrowser signed in
 * through the pages' own flow (/account → authorize → sign-in page → /account/callback),
 * posting the pages' forms with their CSRF token as a browser would.
 */
import { csrfToken, formAction, HttpBrowser, type BrowserResponse } from './http-browser';

export interface AccountUser {
  readonly browser: HttpBrowser;
  get(path: string): Promise<BrowserResponse>;
  /** Posts a form (the CSRF token added); answers are not followed. */
  post(path: string, fields?: Record<string, string>): Promise<BrowserResponse>;
}

export function accountUserOf(baseUrl: string, browser: HttpBrowser, csrf: string): AccountUser {
  return {
    browser,
    get: (path) => browser.request(`${baseUrl}${path}`),
    post: (path, fields = {}) => browser.request(`${baseUrl}${path}`, { form: { _csrf: csrf, ...fields } }),
  };
}

/** Signs in with email and password; `userAgent` names the device on the sessions list. */
export async function signInToAccount(baseUrl: string, email: string, password: string, userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0'): Promise<AccountUser> {
  const browser = new HttpBrowser({ 'user-agent': userAgent });
  const signInPage = await browser.follow(`${baseUrl}/account`, 'about:never');
  if (!signInPage.body.includes('name="password"')) throw new Error(`expected the sign-in page, got ${signInPage.status}:\n${signInPage.body.slice(0, 1500)}`);
  const action = new URL(formAction(signInPage.body, '/login'), signInPage.url).toString();
  const page = await browser.follow(action, 'about:never', { form: { _csrf: csrfToken(signInPage.body), email, password } });
  if (page.status !== 200 || page.url !== `${baseUrl}/account`) throw new Error(`account sign-in ended at ${page.url} with ${page.status}:\n${page.body.slice(0, 1500)}`);
  // The overview has no form; the keys page carries the browser's CSRF token.
  const keys = await browser.request(`${baseUrl}/account/keys`);
  return accountUserOf(baseUrl, browser, csrfToken(keys.body));
}
