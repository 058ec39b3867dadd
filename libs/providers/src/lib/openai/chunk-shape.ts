/**
 * Cheap structural tests on one OpenAI chunk payload, `text[start, end)`, for chunks after the
 * first content (see openai-stream.ts). They take offsets so the wire stream can run them on a
 * whole upstream read without slicing it per event; they look at ASCII only, so the text may be
 * the read's Latin-1 view (one char per byte).
 */

/** First and last non-blank characters are braces: catches a chunk cut or mangled mid-way. */
export function looksLikeJsonObject(text: string, start: number, end: number): boolean {
  let first = start;
  let last = end - 1;
  while (first <= last && text.charCodeAt(first) <= 32) first++;
  while (last >= first && text.charCodeAt(last) <= 32) last--;
  return last > first && text.charCodeAt(first) === 123 && text.charCodeAt(last) === 125;
}

/**
 * Whether the object opening at `brace` may be an error event (`{"error": …`). Errs on the side
 * of yes: any non-ASCII character where JSON whitespace could be (which a regex's `\s` might
 * match in the UTF-8 text) counts, so the caller's full check decides.
 */
export function mayBeErrorEvent(text: string, brace: number, end: number): boolean {
  const i = skipBlanks(text, brace + 1, end);
  if (i < end && text.charCodeAt(i) >= 0x80) return true;
  return text.startsWith('"error"', i) && valueMayOpenWith(text, i + 7, end, -1);
}

/**
 * Whether the key whose closing quote ends just before `i` may have a value starting with the
 * character `open` (`"` for a finish reason, `{` for usage; -1 for any value). Non-ASCII counts
 * as yes, like above.
 */
export function valueMayOpenWith(text: string, i: number, end: number, open: number): boolean {
  i = skipBlanks(text, i, end);
  if (i >= end) return false;
  const colon = text.charCodeAt(i);
  if (colon >= 0x80) return true;
  if (colon !== 58 /* : */) return false;
  if (open === -1) return true;
  i = skipBlanks(text, i + 1, end);
  if (i >= end) return false;
  const first = text.charCodeAt(i);
  return first === open || first >= 0x80;
}

/** Skips ASCII whitespace as a regex's `\s` would (tab, LF, VT, FF, CR, space). */
function skipBlanks(text: string, i: number, end: number): number {
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13)) break;
  }
  return i;
}
