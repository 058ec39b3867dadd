/**
 * The user's side of the device flow, over HTTP as a browser without JavaScript does it: open
 * the verification page, type the code, confirm it, sign in. Used by the Login e2e tests and by
 * the CLI tests (which read the code from the CLI's own output).
 */
import { csrfToken, formAction, HttpBrowser, type BrowserResponse } from './http-browser';

function xsrfOf(page: string): string {
  const match = /name="xsrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error(`no xsrf field in the page:\n${page.slice(0, 2000)}`);
  return match[1];
}

/** Enters and confirms the code; answers the page that follows (the sign-in page, normally). */
export async function enterDeviceCode(browser: HttpBrowser, verificationUri: string, userCode: string): Promise<BrowserResponse> {
  const input = await browser.request(verificationUri);
  if (input.status !== 200) throw new Error(`verification page answered ${input.status}:\n${input.body.slice(0, 1500)}`);
  const action = new URL(formAction(input.body, '/oauth2/device'), verificationUri).toString();
  const confirm = await browser.request(action, { form: { xsrf: xsrfOf(input.body), user_code: userCode } });
  if (confirm.status !== 200 || !confirm.body.includes('name="confirm"')) throw new Error(`expected the confirm page, got ${confirm.status}:\n${confirm.body.slice(0, 1500)}`);
  return browser.follow(action, 'about:never', { form: { xsrf: xsrfOf(confirm.body), user_code: userCode, confirm: 'yes' } });
}

/** The whole approval: code, confirmation, sign-in; answers the last page (success or refusal). */
export async function approveDevice(verificationUri: string, userCode: string, email: string, password: string, browser = new HttpBrowser()): Promise<BrowserResponse> {
  const signIn = await enterDeviceCode(browser, verificationUri, userCode);
  if (!signIn.body.includes('name="password"')) return signIn; // already signed in in this browser
  const action = new URL(formAction(signIn.body, '/login'), signIn.url).toString();
  return browser.follow(action, 'about:never', { form: { _csrf: csrfToken(signIn.body), email, password } });
}
