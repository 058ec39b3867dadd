/**
 * Fastify's refusals of a URL before routing, in plain words for each app's error mapper: its
 * own messages repeat the whole URL, however long. The length is Fastify's default
 * `maxParamLength`, which no app changes (the gateway's model endpoints, which route without
 * Fastify, apply it to their `{id}` segments too).
 */
export const FASTIFY_MAX_PARAM_LENGTH = 100;

/** A request refused before any route: its status, and what was wrong in plain words (lower case, no full stop). */
export interface Refusal {
  readonly status: number;
  readonly message: string;
}

/** A refusal's words as a sentence, for the apps whose messages are sentences. */
export function refusalSentence(refusal: Refusal): string {
  return `${refusal.message.charAt(0).toUpperCase()}${refusal.message.slice(1)}.`;
}

const URL_REFUSALS: ReadonlyMap<unknown, Refusal> = new Map([
  ['FST_ERR_MAX_PARAM_LENGTH', { status: 414, message: `a part of the URL is too long (at most ${FASTIFY_MAX_PARAM_LENGTH} characters between slashes)` }],
  ['FST_ERR_BAD_URL', { status: 400, message: 'the URL is not validly percent-encoded' }],
]);

/** The status and words for a Fastify URL refusal (`error.code`), or undefined for any other error. */
export function fastifyUrlRefusal(error: unknown): Refusal | undefined {
  return URL_REFUSALS.get((error as { code?: unknown } | null | undefined)?.code);
}
