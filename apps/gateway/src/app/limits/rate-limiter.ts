/**
 * Per-API-key limits: requests per minute and tokens per minute, counted in fixed one-minute
 * windows. Answers carry OpenAI's `x-ratelimit-*` headers; a refusal carries `Retry-After`.
 *
 * Tokens are only known when an answer ends, so a request reserves its estimated prompt tokens
 * when it is admitted, and its real count replaces the reservation when it ends (`settle`).
 * Admission and reservation are one atomic step in the store: parallel requests each see the
 * others' reservations, so they cannot all pass a nearly spent window (they could when tokens
 * were only added at the end). A request is admitted while the key has requests left and the
 * window's tokens (used + reserved) are below the limit; the overshoot is at most one request.
 *
 * Two stores: in process memory (one instance), or Redis (REDIS_URL) so N replicas enforce one
 * limit, not N. Redis trouble fails open, with a warning: an outage of the limiter must not
 * become an outage of the gateway.
 */
/** Whose window a request counts in: an API key, or an SSO user (limits/sso-limits.ts). */
export interface LimitedKey {
  readonly id: string;
  readonly rpmLimit: number | null;
  readonly tpmLimit: number | null;
}

export interface Admission {
  readonly allowed: boolean;
  /** OpenAI's x-ratelimit-* headers, as a flat [name, value, …] list. */
  readonly headers: readonly string[];
  /** When refused: seconds until the window resets. */
  readonly retryAfterSeconds: number;
  /** Which limit refused: `requests` or `tokens`. */
  readonly exceeded?: 'requests' | 'tokens';
  /** The window the request was counted in, and the tokens reserved for it there (0: none). */
  readonly window: number;
  readonly reservedTokens: number;
  /** The key it was counted against (none when unlimited): what `settle` settles. */
  readonly key?: LimitedKey;
}

export const WINDOW_MS = 60_000;

/** What a store did with one request: the window's counts including it, and its verdict. */
export interface WindowAdmission {
  readonly requests: number;
  /** Tokens used and reserved in the window, including this request's reservation. */
  readonly tokens: number;
  readonly admitted: boolean;
  /** Tokens reserved for this request (0 when refused, or when the store failed open). */
  readonly reserved: number;
}

export interface LimitStore {
  /**
   * Atomically: counts one request in the window; admits it when the requests (with it) are
   * within `rpm` and the tokens (before it) are below `tpm` (null: no limit); and, if admitted,
   * adds `reserve` tokens to the window.
   */
  admit(keyId: string, window: number, rpm: number | null, tpm: number | null, reserve: number): Promise<WindowAdmission> | WindowAdmission;
  /** Adds tokens to a window; negative gives back part of a reservation. */
  addTokens(keyId: string, window: number, tokens: number): void;
  /** Resolves when the store can count (a remote store's first connection); at once for memory. */
  ready?(): Promise<void>;
  close(): Promise<void>;
}

const UNLIMITED: Admission = Object.freeze({ allowed: true, headers: Object.freeze([]) as readonly string[], retryAfterSeconds: 0, window: 0, reservedTokens: 0 });

export class RateLimiter {
  constructor(
    private readonly store: LimitStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether the request may go ahead; counts it either way (a refused request is a request).
   * `promptTokens` is the estimate reserved against the tokens-per-minute limit. A promise only
   * when the store is shared (Redis): the in-memory store answers at once.
   */
  admit(key: LimitedKey, promptTokens: number): Admission | Promise<Admission> {
    if (key.rpmLimit === null && key.tpmLimit === null) return UNLIMITED;
    const now = this.now();
    const window = Math.floor(now / WINDOW_MS);
    const resetSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    const reserve = key.tpmLimit === null ? 0 : Math.max(0, Math.ceil(promptTokens));
    const counted = this.store.admit(key.id, window, key.rpmLimit, key.tpmLimit, reserve);
    return counted instanceof Promise ? counted.then((c) => admission(key, c, window, resetSeconds)) : admission(key, counted, window, resetSeconds);
  }


  /**
   * When an admitted request ended: its real token count replaces its reservation. `tokens`
   * undefined (served, but no count known) keeps the estimate; 0 (nothing served) gives it
   * back. A request that ran into the next window counts there, whole.
   */
  settle(key: LimitedKey, admission: Admission, tokens: number | undefined): void {
    if (key.tpmLimit === null || !admission.allowed) return;
    const used = tokens !== undefined && tokens >= 0 ? tokens : admission.reservedTokens;
    const window = Math.floor(this.now() / WINDOW_MS);
    const delta = window === admission.window ? used - admission.reservedTokens : used;
    if (delta !== 0) this.store.addTokens(key.id, window, delta);
  }

  async ready(): Promise<void> {
    await this.store.ready?.();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

interface WindowCounts {
  window: number;
  requests: number;
  tokens: number;
}

/** One process: a map of the current window's counts per key; older windows are dropped as met. */
export class MemoryLimitStore implements LimitStore {
  private readonly counts = new Map<string, WindowCounts>();

  admit(keyId: string, window: number, rpm: number | null, tpm: number | null, reserve: number): WindowAdmission {
    const entry = this.current(keyId, window);
    entry.requests += 1;
    const admitted = (rpm === null || entry.requests <= rpm) && (tpm === null || entry.tokens < tpm);
    const reserved = admitted ? reserve : 0;
    entry.tokens += reserved;
    return { requests: entry.requests, tokens: entry.tokens, admitted, reserved };
  }

  addTokens(keyId: string, window: number, tokens: number): void {
    this.current(keyId, window).tokens += tokens;
  }

  async close(): Promise<void> {
    this.counts.clear();
  }

  private current(keyId: string, window: number): WindowCounts {
    let entry = this.counts.get(keyId);
    if (!entry || entry.window !== window) {
      entry = { window, requests: 0, tokens: 0 };
      this.counts.set(keyId, entry);
    }
    return entry;
  }
}

/** The limiter's verdict from the store's counts, with the rate-limit headers of the answer. */
function admission(key: LimitedKey, counted: WindowAdmission, window: number, resetSeconds: number): Admission {
  const headers: string[] = [];
  if (key.rpmLimit !== null) {
    headers.push('x-ratelimit-limit-requests', String(key.rpmLimit), 'x-ratelimit-remaining-requests', String(Math.max(0, key.rpmLimit - counted.requests)), 'x-ratelimit-reset-requests', `${resetSeconds}s`);
  }
  if (key.tpmLimit !== null) {
    headers.push('x-ratelimit-limit-tokens', String(key.tpmLimit), 'x-ratelimit-remaining-tokens', String(Math.max(0, key.tpmLimit - counted.tokens)), 'x-ratelimit-reset-tokens', `${resetSeconds}s`);
  }
  const exceeded = counted.admitted ? undefined : key.rpmLimit !== null && counted.requests > key.rpmLimit ? 'requests' : 'tokens';
  return { allowed: counted.admitted, headers, retryAfterSeconds: resetSeconds, exceeded, window, reservedTokens: counted.reserved, key };
}
