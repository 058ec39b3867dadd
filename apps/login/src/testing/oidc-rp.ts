/**
 * The relying party side of the tests, with `openid-client` as a real app would use it:
 * discovery, authorization URL with PKCE S256 + state + nonce, and the sign-in form driven by
 * an HttpBrowser up to the redirect back to the app.
 */
import * as oidc from 'openid-client';
import { csrfToken, formAction, type HttpBrowser } from './http-browser';
import { TEST_REDIRECT } from './login-harness';

export type RpConfig = oidc.Configuration;

export function discoverClient(issuer: string, clientId: string, secret: string, method: 'basic' | 'post' = 'basic'): Promise<RpConfig> {
  const auth = method === 'post' ? oidc.ClientSecretPost(secret) : oidc.ClientSecretBasic(secret);
  return oidc.discovery(new URL(issuer), clientId, { client_secret: secret }, auth, { execute: [oidc.allowInsecureRequests] });
}

export interface StartedFlow {
  readonly url: URL;
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

export async function startFlow(config: RpConfig, params: Record<string, string> = {}): Promise<StartedFlow> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: TEST_REDIRECT,
    scope: 'openid email profile offline_access',
    prompt: 'consent',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return { url, verifier, state, nonce };
}

/** Opens the authorization URL, submits the sign-in form, returns the response that ended the flow. */
export async function signIn(browser: HttpBrowser, flow: StartedFlow, email: string, password: string) {
  const page = await browser.follow(flow.url.toString(), TEST_REDIRECT);
  if (page.location?.startsWith(TEST_REDIRECT)) return page; // already signed in
  if (!page.body.includes('name="password"')) throw new Error(`expected the sign-in page, got ${page.status}:\n${page.body.slice(0, 1500)}`);
  const action = new URL(formAction(page.body, '/login'), flow.url).toString();
  return browser.follow(action, TEST_REDIRECT, { form: { _csrf: csrfToken(page.body), email, password } });
}

/** Full flow: sign in and exchange the code. */
export async function signInAndExchange(config: RpConfig, browser: HttpBrowser, email: string, password: string, params: Record<string, string> = {}, tokenParams: Record<string, string> = {}) {
  const flow = await startFlow(config, params);
  const end = await signIn(browser, flow, email, password);
  if (!end.location?.startsWith(TEST_REDIRECT)) throw new Error(`flow did not return to the app: ${end.status}\n${end.body.slice(0, 1500)}`);
  const tokens = await oidc.authorizationCodeGrant(
    config,
    new URL(end.location),
    { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce },
    tokenParams,
  );
  return { tokens, flow, callback: new URL(end.location) };
}

export { oidc };
