/**
 * How the login's key set (JWKS) is fetched: through the egress guard with the platform's
 * policy, `EgressPolicy.PLATFORM_NETWORK` (which the gateway's RAINYMODEL_SSO_ALLOW_PRIVATE
 * may widen). The JWKS URL is the platform's own login — `localhost` in
 * development, the `login` container on the compose network (172.16.0.0/12), a public host on
 * Render — so loopback and private answers are allowed by default and need no setting. What is
 * refused is what no login runs on: link-local (169.254.169.254, the cloud metadata service,
 * which hands out credentials), AWS's IPv6 metadata address, CGNAT, unspecified, multicast.
 * So a hostile or poisoned DNS answer for the login's name cannot turn the key fetch into a
 * request to the metadata service.
 *
 * Redirects are not followed (jose asks for `redirect: 'manual'`), so a hostile answer from the
 * login cannot send the fetch elsewhere either; any answer but a 200 is a failed fetch here (the
 * verifier's "key set unavailable", 503), not a verdict on the token. A URL that is
 * itself a literal address is checked when the config loads (libs/config: sockets do not look
 * up literals). No keep-alive: a key set is fetched a few times an hour at most.
 */
import type { FetchImplementation } from 'jose';
import { Agent, fetch } from 'undici';
import { EgressPolicy, guardedLookup, systemResolve, type ResolveHost } from '@orcest/egress';

export function guardedJwksFetch(policy: EgressPolicy = EgressPolicy.PLATFORM_NETWORK, resolveHost: ResolveHost = systemResolve): FetchImplementation {
  const dispatcher = new Agent({ pipelining: 0, connect: { lookup: guardedLookup(policy, resolveHost, 'the SSO key fetch') } });
  return async (url, init) => {
    // The global Headers jose built, as a plain record: undici's own Headers type is another class.
    const response = await fetch(url, { method: init.method, redirect: init.redirect, signal: init.signal, headers: Object.fromEntries(init.headers.entries()), dispatcher });
    if (response.status !== 200) {
      await response.body?.cancel();
      const redirect = response.status >= 300 && response.status < 400 ? ` (a redirect to ${response.headers.get('location') ?? 'nowhere'}, not followed)` : '';
      throw new Error(`${url} answered HTTP ${response.status}${redirect}`);
    }
    // undici's Response is the web Response jose reads (status, json()); only the type libraries differ.
    return response as unknown as Response;
  };
}
