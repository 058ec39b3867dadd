/**
 * Per-API-key limits: requests per minute and tokens per minute, counted in fixed one-minute
 * windows. A request is admitted when the key has requests left in this window and has not
 * used up its tokens; the tokens it used are added when it ends (their count is only known
 * then). Answers carry OpenAI's `x-ratelimit-*` headers; a refusal carries `Retry-After`.
 *
 * Two stores: in process memory (one instance), or Redis (REDIS_URL) so N replicas enforce one
 * limit, not N. Redis trouble fails open, with a warning: an outage of the limiter must not
 * become an outage of the gateway.
 */
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
}

export const WINDOW_MS = 60_000;

/** The counts of one key in the current window, as a store reports them after counting a request. */
export interface WindowCounts {
  readonly requests: number;
  readonly tokens: number;
}

export interface LimitStore {
  /** Counts one request in the window and returns the counts including it. */
  countRequest(keyId: string, window: number): Promise<WindowCounts> | WindowCounts;
  addTokens(keyId: string, window: number, tokens: number): void;
  close(): Promise<void>;
}

export class RateLimiter {
  constructor(
    private readonly store: LimitStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the request may go ahead; counts it either way (a refused request is a request). */
  async admit(key: LimitedKey): Promise<Admission> {
    const now = this.now();
    const window = Math.floor(now / WINDOW_MS);
    const resetSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    if (key.rpmLimit === null && key.tpmLimit === null) return { allowed: true, headers: [], retryAfterSeconds: 0 };
    const counts = await this.store.countRequest(key.id, window);
    const headers: string[] = [];
    if (key.rpmLimit !== null) {
      headers.push('x-ratelimit-limit-requests', String(key.rpmLimit), 'x-ratelimit-remaining-requests', String(Math.max(0, key.rpmLimit - counts.requests)), 'x-ratelimit-reset-requests', `${resetSeconds}s`);
    }
    if (key.tpmLimit !== null) {
      headers.push('x-ratelimit-limit-tokens', String(key.tpmLimit), 'x-ratelimit-remaining-tokens', String(Math.max(0, key.tpmLimit - counts.tokens)), 'x-ratelimit-reset-tokens', `${resetSeconds}s`);
    }
    const exceeded = key.rpmLimit !== null && counts.requests > key.rpmLimit ? 'requests' : key.tpmLimit !== null && counts.tokens >= key.tpmLimit ? 'tokens' : undefined;
    return { allowed: exceeded === undefined, headers, retryAfterSeconds: resetSeconds, exceeded };
  }

  recordTokens(key: LimitedKey, tokens: number): void {
    if (key.tpmLimit === null || !(tokens > 0)) return;
    this.store.addTokens(key.id, Math.floor(this.now() / WINDOW_MS), tokens);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** One process: a map of the current window's counts per key; older windows are dropped as met. */
export class MemoryLimitStore implements LimitStore {
  private readonly counts = new Map<string, { window: number; requests: number; tokens: number }>();

  countRequest(keyId: string, window: number): WindowCounts {
    const entry = this.current(keyId, window);
    entry.requests += 1;
    return entry;
  }

  addTokens(keyId: string, window: number, tokens: number): void {
    this.current(keyId, window).tokens += tokens;
  }

  async close(): Promise<void> {
    this.counts.clear();
  }

  private current(keyId: string, window: number): { window: number; requests: number; tokens: number } {
    let entry = this.counts.get(keyId);
    if (!entry || entry.window !== window) {
      entry = { window, requests: 0, tokens: 0 };
      this.counts.set(keyId, entry);
    }
    return entry;
  }
}
