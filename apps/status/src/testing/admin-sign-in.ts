/**
 * Signs in to the status admin over plain HTTP, the way a browser does, against the test OIDC
 * issuer (whose interactions complete on their own): /admin/login → the issuer's redirects
 * (its cookies kept) → /auth/callback. Returns the cookies the status app set and the CSRF
 * token of the admin page, so the hardening tests can send exact requests.
 */
export interface AdminSignIn {
  /** `status_session=<value>`, ready for a Cookie header. */
  readonly sessionCookie: string;
  /** The raw session value. */
  readonly session: string;
  /** The raw `status_signin` value handed out at /admin/login. */
  readonly signin: string;
  readonly csrf: string;
}

export async function signInToStatusAdmin(statusUrl: string): Promise<AdminSignIn> {
  const start = await fetch(`${statusUrl}/admin/login`, { redirect: 'manual' });
  if (start.status !== 302) throw new Error(`/admin/login answered ${start.status}`);
  const signin = setCookieValue(start, 'status_signin');
  if (!signin) throw new Error('/admin/login set no status_signin cookie');
  const issuerJar = new Map<string, string>();
  let location = start.headers.get('location') ?? '';
  for (let hop = 0; hop < 20 && !location.startsWith(`${statusUrl}/auth/callback`); hop++) {
    const res = await fetch(location, { redirect: 'manual', headers: { cookie: [...issuerJar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') issuerJar.delete(name);
      else issuerJar.set(name, value);
    }
    const next = res.headers.get('location');
    if (!next) throw new Error(`the issuer stopped at ${location} with ${res.status}: ${await res.text()}`);
    location = new URL(next, location).href;
  }
  const callback = await fetch(location, { redirect: 'manual', headers: { cookie: `status_signin=${encodeURIComponent(signin)}` } });
  if (callback.status !== 303) throw new Error(`/auth/callback answered ${callback.status}: ${await callback.text()}`);
  const session = setCookieValue(callback, 'status_session');
  if (!session) throw new Error('/auth/callback set no status_session cookie');
  const sessionCookie = `status_session=${encodeURIComponent(session)}`;
  const admin = await fetch(`${statusUrl}/admin`, { headers: { cookie: sessionCookie } });
  const csrf = /name="csrf" value="([^"]+)"/.exec(await admin.text())?.[1];
  if (admin.status !== 200 || !csrf) throw new Error(`/admin answered ${admin.status} without a CSRF token`);
  return { sessionCookie, session, signin, csrf };
}

/** The (decoded) value a response's Set-Cookie gives `name`, if it sets one. */
export function setCookieValue(res: Response, name: string): string | undefined {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    if (pair.startsWith(`${name}=`)) return decodeURIComponent(pair.slice(name.length + 1));
  }
  return undefined;
}
