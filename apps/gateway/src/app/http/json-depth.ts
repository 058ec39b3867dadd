/**
 * How deep a JSON text nests, checked on the raw text before it is parsed. A body nesting
 * 200,000 arrays parses fine (V8's JSON.parse does not recurse) but overflows the stack of
 * whatever walks it recursively afterwards — JSON.stringify when the upstream request is
 * built, a translator — so nesting is bounded at the edge, where the body comes in.
 *
 * One pass, no recursion, no allocation: brackets outside strings are counted, and strings
 * are skipped with `indexOf` (a chat body is mostly string content, so most of the text is
 * jumped over rather than looked at char by char). The text is not validated here: whatever
 * is not JSON is left for JSON.parse to reject.
 */
import { closingQuote } from '@orcest/providers';

/** True as soon as an object or array opens more than `maxDepth` levels deep. */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  // Nesting can't exceed the number of `{` and `[` in the text: a typical request has a few
  // dozen, found by a handful of native `indexOf` calls, cheaper than visiting its strings.
  if (fewOpeners(text, maxDepth)) return false;
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = closingQuote(text, i);
      if (i === -1) return false;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    }
  }
  return false;
}

/** True when the text holds at most `max` opening brackets, strings included. */
function fewOpeners(text: string, max: number): boolean {
  let count = 0;
  for (let at = text.indexOf('{'); at !== -1; at = text.indexOf('{', at + 1)) if (++count > max) return false;
  for (let at = text.indexOf('['); at !== -1; at = text.indexOf('[', at + 1)) if (++count > max) return false;
  return true;
}
