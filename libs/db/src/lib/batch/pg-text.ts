/**
 * Text bound for PostgreSQL: `text` and `jsonb` cannot hold U+0000 (the server refuses the
 * whole statement), and `jsonb` refuses a lone UTF-16 surrogate (JSON.stringify writes it as
 * `\ud800`, which PostgreSQL rejects; JSON.parse of a request body happily produces one). So
 * writers pass caller- or upstream-supplied strings through `pgText` first. Both become
 * U+FFFD, the replacement character, so a reader still sees that something was there; a
 * length cap keeps one hostile value from bloating a row.
 */
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function pgText(value: string, maxLength = 10_000): string {
  let clean = value.includes('\u0000') ? value.replace(NUL, '\uFFFD') : value;
  clean = clean.replace(LONE_SURROGATE, '\uFFFD');
  if (clean.length <= maxLength) return clean;
  // Cut before a surrogate pair rather than through it.
  const end = /[\uD800-\uDBFF]/.test(clean.charAt(maxLength - 2)) ? maxLength - 2 : maxLength - 1;
  return `${clean.slice(0, end)}…`;
}

/** `pgText` for optional values: null and undefined stay null. */
export function pgTextOrNull(value: string | null | undefined, maxLength?: number): string | null {
  return value === null || value === undefined ? null : pgText(value, maxLength);
}
