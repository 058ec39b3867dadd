/**
 * Text bound for PostgreSQL: `text` and `jsonb` cannot hold U+0000 (the server refuses the
 * whole statement), so writers pass caller- or upstream-supplied strings through `pgText`
 * first. NUL becomes U+FFFD, the replacement character, so a reader still sees that something
 * was there; a length cap keeps one hostile value from bloating a row.
 */
const NUL = /\u0000/g;

export function pgText(value: string, maxLength = 10_000): string {
  const clean = value.includes('\u0000') ? value.replace(NUL, '\uFFFD') : value;
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}

/** `pgText` for optional values: null and undefined stay null. */
export function pgTextOrNull(value: string | null | undefined, maxLength?: number): string | null {
  return value === null || value === undefined ? null : pgText(value, maxLength);
}
