/** Reads fields of a parsed urlencoded form body without trusting its shape. */
export type FormBody = Record<string, unknown>;

export function formBody(body: unknown): FormBody {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as FormBody) : {};
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** Half of a UTF-16 surrogate pair on its own: a JSON body can carry one, no real text has one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A single string field; arrays (repeated fields), non-strings, over-long values and values
 * with control characters or lone surrogates (PostgreSQL refuses NUL, jsonb a lone surrogate,
 * and no field of ours needs either) count as absent.
 */
export function field(body: FormBody, name: string, maxLength = 1024): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value.length <= maxLength && !hasControlCharacters(value) ? value : undefined;
}

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value) || LONE_SURROGATE.test(value);
}
