/**
 * The OIDC provider's paths (seed 000 §5.1), and who calls each: a program (JSON in, JSON out)
 * or a person's browser (pages). Login's error mapping answers a refusal made before the
 * provider sees the request (a `%00` in the URL) in the caller's shape: OAuth's JSON error for
 * a program, a page for a person.
 */
export const OIDC_ROUTES = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  userinfo: '/oauth2/userinfo',
  jwks: '/oauth2/jwks',
  revocation: '/oauth2/revoke',
  end_session: '/oauth2/logout',
  introspection: '/oauth2/introspect',
  pushed_authorization_request: '/oauth2/par',
  registration: '/oauth2/register',
  code_verification: '/oauth2/device',
  device_authorization: '/oauth2/device/auth',
  backchannel_authentication: '/oauth2/backchannel',
  challenge: '/oauth2/challenge',
} as const;

/** The provider's discovery documents (`/.well-known/openid-configuration`, …): its own, not among its `routes`. */
const DISCOVERY_PREFIX = '/.well-known/';

/**
 * The paths the provider owns (create-login-app.ts hands it every request under them): the
 * folder of each of its routes (`/oauth2/`; a route at the top level would be its own prefix),
 * and discovery.
 */
export const OIDC_PATH_PREFIXES: readonly string[] = [...new Set([...Object.values(OIDC_ROUTES).map(folderOf), DISCOVERY_PREFIX])];

/** Every route says who calls it, so a new one can't silently answer programs with pages. */
const CALLERS: Record<keyof typeof OIDC_ROUTES, 'program' | 'browser'> = {
  authorization: 'browser',
  token: 'program',
  userinfo: 'program',
  jwks: 'program',
  revocation: 'program',
  end_session: 'browser',
  introspection: 'program',
  pushed_authorization_request: 'program',
  registration: 'program',
  code_verification: 'browser',
  device_authorization: 'program',
  backchannel_authentication: 'program',
  challenge: 'program',
};

const PROGRAM_PATHS: ReadonlySet<string> = new Set(
  (Object.keys(CALLERS) as (keyof typeof OIDC_ROUTES)[]).filter((route) => CALLERS[route] === 'program').map((route) => OIDC_ROUTES[route]),
);

/**
 * True when a request target (path and query) is one of the provider's endpoints programs call,
 * or its discovery documents (`/.well-known/…`). The browser routes have sub-paths of their own
 * (`/oauth2/device` and `/oauth2/device/auth` are different callers), so paths match exactly.
 */
export function isOidcProgramEndpoint(url: string): boolean {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return PROGRAM_PATHS.has(path) || path.startsWith(DISCOVERY_PREFIX);
}

function folderOf(path: string): string {
  const end = path.indexOf('/', 1);
  return end === -1 ? path : path.slice(0, end + 1);
}
