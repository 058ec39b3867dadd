/**
 * Reading a JSON text without parsing it: where a string ends, and where the members of the
 * top-level object are. For texts JSON.parse has accepted already, so validity is not checked
 * again — only what a byte-level edit must be certain of (`openai/forwarded-body.ts`).
 *
 * Strings are jumped over with `indexOf` rather than walked char by char: a chat body is mostly
 * string content.
 */

/** Index of the quote closing the string opened at `open`, or -1 when it never closes. */
export function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at === -1) return -1;
    // Escaped when preceded by an odd run of backslashes; each run is walked once.
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 92 /* \ */) backslashes++;
    if ((backslashes & 1) === 0) return at;
  }
}

/** Where a top-level member's value lies (`text.slice(start, end)`), and the object's closing brace. */
export interface TopLevelValue {
  readonly start: number;
  readonly end: number;
  /** Index of the `}` that closes the top-level object. */
  readonly close: number;
}

/** Objects with more top-level members are not looked into (a linear check for repeats stays cheap). */
const MAX_MEMBERS = 64;

/**
 * Where the JSON object `text` (already accepted by JSON.parse) holds `key`'s value, or undefined
 * when it has none or a byte-level edit could not be sure which member JSON.parse took for it:
 * a key written with an escape (`"mod\u0065l"` is `model` to JSON.parse), a key that occurs
 * twice (JSON.parse keeps the last, other parsers the first: no repeat is let through, whichever
 * key), a byte-order mark, more than 64 members, or anything but an object.
 */
export function topLevelValue(text: string, key: string): TopLevelValue | undefined {
  const keys: string[] = [];
  let found = -1;
  let foundEnd = -1;
  let i = skipBlanks(text, 0);
  if (text.charCodeAt(i) !== 123 /* { */) return undefined;
  i = skipBlanks(text, i + 1);
  if (text.charCodeAt(i) === 125 /* } */) return undefined;
  for (;;) {
    if (text.charCodeAt(i) !== 34 /* " */) return undefined;
    const keyEnd = closingQuote(text, i);
    if (keyEnd === -1) return undefined;
    const name = text.slice(i + 1, keyEnd);
    if (name.includes('\\') || keys.includes(name) || keys.push(name) > MAX_MEMBERS) return undefined;
    i = skipBlanks(text, keyEnd + 1);
    if (text.charCodeAt(i) !== 58 /* : */) return undefined;
    const start = skipBlanks(text, i + 1);
    const end = valueEnd(text, start);
    if (end === -1) return undefined;
    if (name === key) {
      found = start;
      foundEnd = end;
    }
    i = skipBlanks(text, end);
    const next = text.charCodeAt(i);
    if (next === 125 /* } */) return found === -1 ? undefined : { start: found, end: foundEnd, close: i };
    if (next !== 44 /* , */) return undefined;
    i = skipBlanks(text, i + 1);
  }
}

/** Where the value starting at `start` ends (exclusive), or -1 when it does not. */
function valueEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === 34 /* " */) {
    const close = closingQuote(text, start);
    return close === -1 ? -1 : close + 1;
  }
  if (first === 123 /* { */ || first === 91 /* [ */) {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34 /* " */) {
        i = closingQuote(text, i);
        if (i === -1) return -1;
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        depth++;
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        if (--depth === 0) return i + 1;
      }
    }
    return -1;
  }
  // A number, true, false or null: up to the next delimiter.
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 /* , */ || c === 125 /* } */ || c === 93 /* ] */ || isBlank(c)) break;
  }
  return i > start ? i : -1;
}

function skipBlanks(text: string, i: number): number {
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
