/**
 * The resource indicator (RFC 8707) of Login's own account API: `<issuer>/api/account`. A client
 * names it with `resource=` (at authorization or the device request, and at the token endpoint)
 * to get a JWT access token whose `aud` is this URL; the gateway's tokens have another audience,
 * so neither kind of token is accepted by the other's API.
 */
export function accountApiAudience(issuer: string): string {
  return `${issuer}/api/account`;
}
