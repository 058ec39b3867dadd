/**
 * One cached answer: the `chat.completion` JSON the client got (or the one assembled from a
 * completed stream), when it was stored and until when it is fresh and then kept, and which
 * deployment produced it (for the route headers and the usage record of a hit).
 */
export interface CachedAnswer {
  /** OpenAI `chat.completion` JSON text, as a non-streaming client receives it. */
  readonly body: string;
  readonly storedAt: number;
  /** Served as a hit until then. */
  readonly freshUntil: number;
  /** Kept until then for the offline last resort (`max_stale` past `freshUntil`). */
  readonly keepUntil: number;
  /** The deployment that answered: its name, tier, upstream label and upstream model. */
  readonly deployment: string;
  readonly tier: string;
  readonly upstream: string;
  readonly model: string;
}

/** Bytes an answer counts for in the store's budget: its body, plus a fixed allowance for the rest. */
export function answerBytes(answer: CachedAnswer): number {
  return Buffer.byteLength(answer.body) + 256 + answer.deployment.length + answer.upstream.length + answer.model.length;
}

/** The form an answer takes in Redis. */
export function encodeAnswer(answer: CachedAnswer): string {
  return JSON.stringify(answer);
}

/** Undefined for anything that is not a well-formed answer (another version's, or corrupted). */
export function decodeAnswer(text: string): CachedAnswer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const a = value as Record<string, unknown>;
  const strings = ['body', 'deployment', 'tier', 'upstream', 'model'] as const;
  const numbers = ['storedAt', 'freshUntil', 'keepUntil'] as const;
  if (!strings.every((name) => typeof a[name] === 'string') || !numbers.every((name) => typeof a[name] === 'number')) return undefined;
  return value as CachedAnswer;
}
