/**
 * Fastify's refusals of a URL before routing, in plain words for each app's error mapper: its
 * own messages repeat the whole URL, however long. The length is Fastify's default
 * `maxParamLength`, which no app changes (the gateway's model endpoints, which route without
 * Fastify, apply it to their `{id}` segments too).
 */
export const FASTIFY_MAX_PARAM_LENGTH = 100;

const URL_REFUSALS: ReadonlyMap<unknown, { readonly status: number; readonly message: string }> = new Map([
  ['FST_ERR_MAX_PARAM_LENGTH', { status: 414, message: `a part of the URL is too long (at most ${FASTIFY_MAX_PARAM_LENGTH} characters between slashes)` }],
  ['FST_ERR_BAD_URL', { status: 400, message: 'the URL is not validly percent-encoded' }],
]);

/** The status and words for a Fastify URL refusal (`error.code`), or undefined for any other error. */
export function fastifyUrlRefusal(error: unknown): { readonly status: number; readonly message: string } | undefined {
  return URL_REFUSALS.get((error as { code?: unknown } | null | undefined)?.code);
}
