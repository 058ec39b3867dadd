/**
 * A minimal browser over HTTP for the sign-in flow: a cookie jar, manual redirects, and form
 * fields read from the page. The flow's pages are plain HTML forms, so this drives them the
 * way a browser without JavaScript would. Chromium tests drive the same pages for real.
 */
export interface BrowserResponse {
  readonly status: number;
  readonly url: string;
  readonly location?: string;
  readonly body: string;
  readonly headers: Headers;
}

export class HttpBrowser {
  private readonly cookies = new Map<string, string>();

  /** `headers` go with every request (e.g. a user agent, to tell browsers apart). */
  constructor(private readonly headers: Record<string, string> = {}) {}

  /** `body` is sent as given (with a content-type header of the caller's), `form` urlencoded. */
  async request(url: string, init: { method?: string; form?: Record<string, string>; body?: string; headers?: Record<string, string> } = {}): Promise<BrowserResponse> {
    const headers: Record<string, string> = { ...this.headers, ...init.headers };
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie) headers['cookie'] = cookie;
    let body = init.body;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const location = res.headers.get('location') ?? undefined;
    return { status: res.status, url, location: location ? new URL(location, url).toString() : undefined, body: await res.text(), headers: res.headers };
  }

  /** Follows redirects until a response that is not one, or until a URL under `stopAt`. */
  async follow(url: string, stopAt: string, init: { form?: Record<string, string> } = {}): Promise<BrowserResponse> {
    let res = await this.request(url, init);
    for (let hops = 0; res.location && hops < 10; hops++) {
      if (res.location.startsWith(stopAt)) return res;
      res = await this.request(res.location);
    }
    return res;
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  /** A cookie's value as the server set it, for a test that replays it elsewhere. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Plants a cookie, as an attacker controlling the browser (or a sibling site) could. */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  dropCookie(name: string): void {
    this.cookies.delete(name);
  }
}

export function formAction(page: string, pathPart: string): string {
  const match = [...page.matchAll(/<form[^>]*action="([^"]+)"/g)].map((m) => m[1]).find((a) => a.includes(pathPart));
  if (!match) throw new Error(`no form posting to *${pathPart}* in the page:\n${page.slice(0, 2000)}`);
  return match.replace(/&amp;/g, '&');
}

export function csrfToken(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error(`no CSRF field in the page:\n${page.slice(0, 2000)}`);
  return match[1];
}
