/**
 * How an error message names a value the client chose (an unknown policy or profile, a model
 * name, a response id): its start, enough to recognise it, never the whole of a 10,000-character
 * header or a multi-megabyte JSON string sent back. Here, beside the routing errors that name
 * such values, so that the gateway's own errors quote them through the same function.
 */
export const CLIENT_EXCERPT_LENGTH = 100;

/** `value`, or its first `CLIENT_EXCERPT_LENGTH` characters and "…" (a surrogate pair is never split). */
export function clientExcerpt(value: string): string {
  if (value.length <= CLIENT_EXCERPT_LENGTH) return value;
  const last = value.charCodeAt(CLIENT_EXCERPT_LENGTH - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? CLIENT_EXCERPT_LENGTH - 1 : CLIENT_EXCERPT_LENGTH;
  return `${value.slice(0, end)}…`;
}
