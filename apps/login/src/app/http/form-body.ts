/** Reads fields of a parsed urlencoded form body without trusting its shape. */
export type FormBody = Record<string, unknown>;

export function formBody(body: unknown): FormBody {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as FormBody) : {};
}

/** A single string field; arrays (repeated fields) and non-strings count as absent. */
export function field(body: FormBody, name: string, maxLength = 1024): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value.length <= maxLength ? value : undefined;
}
