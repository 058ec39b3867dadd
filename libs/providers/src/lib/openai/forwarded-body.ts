/**
 * The client's chat body as the upstream gets it: the client's own bytes with only the model's
 * value replaced, and members appended where the gateway adds some (the streaming usage request).
 * Re-serialising the parsed request grows with the conversation, which clients resend in full
 * every turn: for a 218 kB conversation of 200 messages, building the upstream body took ~450 µs
 * serialised and ~120 µs edited (the same ~0.5 µs either way for a one-line question; measured
 * in isolation on the 2-core machine).
 *
 * The edit must hit the very `model` member JSON.parse read, so any text where that is not
 * certain is left to the caller to serialise (`topLevelValue`: an escaped or repeated key).
 */
import { topLevelValue } from '../shared/json-text';

/**
 * `text` with its top-level `model` set to `model` and `appended` (members, `"k":v,…`, possibly
 * empty) added last; undefined when the text cannot be edited with certainty.
 */
export function forwardedChatBody(text: string, model: string, appended: string): string | undefined {
  const current = topLevelValue(text, 'model');
  if (current === undefined) return undefined;
  const head = `${text.slice(0, current.start)}${JSON.stringify(model)}${text.slice(current.end, current.close)}`;
  return appended === '' ? `${head}}` : `${head},${appended}}`;
}
