/** Reads fields of a parsed urlencoded form body without trusting its shape. */
export type FormBody = Record<string, unknown>;

export function formBody(body: unknown): FormBody {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as FormBody) : {};
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * A single string field; arrays (repeated fields), non-strings, over-long values and values
 * with control characters (PostgreSQL refuses NUL, and no field of ours needs any) count as absent.
 */
export function field(body: FormBody, name: string, maxLength = 1024): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value.length <= maxLength && !CONTROL.test(value) ? value : undefined;
}

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}
