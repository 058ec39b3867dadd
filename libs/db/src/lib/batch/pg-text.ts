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

/**
 * A JSON value bound for a `jsonb` column: every string and key through `pgText` (uncapped).
 * What needs no change is returned as it is (not copied), so the caller's objects stay intact.
 */
export function pgJson<T>(value: T): T {
  return cleanJson(value) as T;
}

function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return pgText(value, Infinity);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const clean = cleanJson(item);
      if (clean !== item) (copy ??= [...value])[i] = clean;
    });
    return copy ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const cleaned = entries.map(([key, item]) => [pgText(key, Infinity), cleanJson(item)] as const);
  return cleaned.every(([key, item], i) => key === entries[i][0] && item === entries[i][1]) ? value : Object.fromEntries(cleaned);
}
