/**
 * The ids of the uuid columns (users, API keys, incidents, maintenance windows, subscribers),
 * as PostgreSQL writes them. A value from outside (a URL, a token's subject) that is not one is
 * no row of ours, so nothing is looked up: PostgreSQL refuses a malformed uuid with an error
 * (a 500 where the caller should get a 404), and a NUL in text with another.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
