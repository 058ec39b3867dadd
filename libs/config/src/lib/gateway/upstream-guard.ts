/**
 * The load-time half of the upstream URL guard (seed 003 §5): every URL the gateway will call —
 * deployments' api_base, catalogue sources, knowledge agents — must be http(s) and may not
 * point at a private, loopback or link-local address unless RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS
 * (or the config's `general_settings.allow_private_upstreams`) allows it. A refused URL stops
 * the start with its place in the config, the reason and the setting to change. The
 * connect-time half (DNS answers) is `guardedLookup` in libs/egress, given this policy.
 */
import { EgressPolicy, EgressPolicyError, urlRefusal } from '@orcest/egress';
import { ConfigError } from '../config-error';

export const ALLOW_PRIVATE_UPSTREAMS = 'RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS';

/**
 * The variable when set (it replaces the config's list), else the config's list, else nothing
 * private. `where` names the config's key for messages.
 */
export function upstreamPolicy(fromEnv: string | undefined, fromConfig: boolean | string | readonly string[] | undefined, where: string): EgressPolicy {
  try {
    if (fromEnv !== undefined && fromEnv.trim() !== '') return EgressPolicy.parse(fromEnv);
  } catch (error) {
    throw new ConfigError(`${ALLOW_PRIVATE_UPSTREAMS}: ${(error as EgressPolicyError).message}`);
  }
  try {
    if (fromConfig === undefined) return EgressPolicy.PUBLIC_ONLY;
    return EgressPolicy.parse(typeof fromConfig === 'boolean' ? String(fromConfig) : fromConfig);
  } catch (error) {
    throw new ConfigError(`${where}: ${(error as EgressPolicyError).message}`);
  }
}

/** One URL to check: its value and where it was written (`file:line: key` or a variable name). */
export interface UpstreamUrl {
  readonly url: string;
  readonly where: string;
}

export function checkUpstreamUrls(urls: readonly UpstreamUrl[], policy: EgressPolicy): void {
  for (const { url, where } of urls) {
    const refusal = urlRefusal(url, policy);
    if (refusal === undefined) continue;
    const host = hostOf(url);
    const fix = host ? ` (e.g. ${ALLOW_PRIVATE_UPSTREAMS}=${host}, a CIDR, or true)` : '';
    throw new ConfigError(
      `${where}: "${url}" ${refusal}. Upstreams in private, loopback and link-local ranges are refused unless ${ALLOW_PRIVATE_UPSTREAMS} allows them${fix}; now allowed: ${policy.describe()}`,
    );
  }
}

export const SSO_ALLOW_PRIVATE = 'RAINYMODEL_SSO_ALLOW_PRIVATE';

/**
 * Where the login's keys may be fetched from: the platform's own service, so loopback and
 * private addresses are allowed without a setting (compose's `http://login:8090`, `localhost`
 * in development), but never link-local or cloud metadata (EgressPolicy.PLATFORM_NETWORK) —
 * unless RAINYMODEL_SSO_ALLOW_PRIVATE adds a range the login really sits in (a Tailscale
 * tailnet is 100.64.0.0/10, CGNAT space, refused by default).
 */
export function ssoEgressPolicy(fromEnv: string | undefined): EgressPolicy {
  if (fromEnv === undefined || fromEnv.trim() === '') return EgressPolicy.PLATFORM_NETWORK;
  try {
    return EgressPolicy.platformNetworkAnd(EgressPolicy.parse(fromEnv));
  } catch (error) {
    throw new ConfigError(`${SSO_ALLOW_PRIVATE}: ${(error as EgressPolicyError).message}`);
  }
}

/**
 * The SSO JWKS URL, judged by `policy` (ssoEgressPolicy). This is the check of a literal
 * address; a name is judged by its DNS answers at every fetch (libs/auth jwks-fetch.ts), since
 * sockets do not look literals up.
 */
export function checkSsoJwksUrl(url: string, where: string, policy: EgressPolicy): void {
  const refusal = urlRefusal(url, policy);
  if (refusal === undefined) return;
  throw new ConfigError(
    `${where}: "${url}" ${refusal}. The login's keys are fetched from public, loopback or private (RFC 1918, fc00::/7) addresses, and what ${SSO_ALLOW_PRIVATE} adds; now allowed: ${policy.describe()}`,
  );
}

function hostOf(url: string): string | undefined {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? hostname.replace(/^\[|\]$/g, '') : undefined;
  } catch {
    return undefined;
  }
}
