/**
 * Whether and how the cache takes part in one request, decided from the alias's settings and
 * two request headers, before anything is hashed:
 *
 * - `x-rainymodel-cache: use` caches this request (look up, store the answer) even when its
 *   alias has no cache configured or the request is not deterministic; `refresh` skips the
 *   look-up but stores the fresh answer; `skip` leaves the cache alone. Without the header an
 *   alias with a cache caches only deterministic requests: `temperature: 0` or a `seed`
 *   (anything else may rightly answer differently each time). An alias whose entries say
 *   `cache: false` is never cached, whatever the request asks: the operator's word is final.
 * - The offline last resort (an expired answer when every upstream failed) is allowed by the
 *   alias (`stale_if_error`, up to `max_stale`) or by the request's
 *   `cache-control: stale-if-error=<seconds>` (RFC 5861), which may also narrow it or, at 0,
 *   refuse it. Either way no further past expiry than the alias keeps answers (`max_stale`).
 */
import type { CacheFreshness, ResponseCacheSettings } from '@orcest/config';
import { clientExcerpt } from '@orcest/routing';
import { InvalidRequestError } from '../errors';

export type CacheMode = 'use' | 'refresh' | 'skip';

/** What the cache does for one request whose alias or headers involve it. */
export interface CacheParticipation {
  /** The request's answers are looked up and stored under this (cache-key.ts); undefined: `skip`. */
  readonly cached: boolean;
  /** Look the request up before the walk (false for `refresh`). */
  readonly lookup: boolean;
  readonly freshness: CacheFreshness;
  /** How far past its `freshUntil` an answer may be served when every upstream failed; 0: never. */
  readonly staleForMs: number;
}

const SKIP: CacheParticipation = Object.freeze({ cached: false, lookup: false, freshness: Object.freeze({ ttlMs: 0, maxStaleMs: 0, staleIfError: false }), staleForMs: 0 });

export class CachePolicy {
  private readonly aliases: ReadonlyMap<string, CacheFreshness | false>;

  constructor(private readonly settings: ResponseCacheSettings) {
    this.aliases = new Map(Object.entries(settings.aliases));
  }

  /**
   * Undefined when the cache has no part in the request (the common case for an uncached alias:
   * one map read and one header read); `skip` participation when the alias is cached but this
   * request is not (the answer still says so).
   */
  participation(
    alias: string,
    mode: CacheMode | undefined,
    body: Readonly<Record<string, unknown>>,
    headers: Readonly<Record<string, string | string[] | undefined>>,
  ): CacheParticipation | undefined {
    const own = this.aliases.get(alias);
    if (own === false) return undefined;
    if (mode === undefined && own === undefined && !this.settings.allAliases) return undefined;
    if (mode === 'skip' || (mode === undefined && !isDeterministic(body))) return SKIP;
    const freshness = own ?? this.settings.defaults;
    const cacheControl = headers['cache-control'];
    const requested = cacheControl === undefined ? undefined : staleIfErrorSeconds(Array.isArray(cacheControl) ? cacheControl.join(',') : cacheControl);
    const staleForMs = requested !== undefined ? Math.min(requested * 1000, freshness.maxStaleMs) : freshness.staleIfError ? freshness.maxStaleMs : 0;
    return { cached: true, lookup: mode !== 'refresh', freshness, staleForMs };
  }
}

/** `x-rainymodel-cache` as sent; an unknown value is the caller's mistake (400), not a silent miss. */
export function cacheMode(header: string | string[] | undefined): CacheMode | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') return undefined;
  const mode = value.trim().toLowerCase();
  if (mode === 'use' || mode === 'refresh' || mode === 'skip') return mode;
  throw new InvalidRequestError(`x-rainymodel-cache must be use, refresh or skip (got "${clientExcerpt(value)}")`, 'x-rainymodel-cache', 'invalid_cache_mode');
}

/** Temperature 0 or a seed: the request asks for the same answer every time. */
export function isDeterministic(body: Readonly<Record<string, unknown>>): boolean {
  return body['temperature'] === 0 || typeof body['seed'] === 'number';
}

/** The `stale-if-error=<seconds>` directive of a Cache-Control header, undefined when absent or malformed. */
export function staleIfErrorSeconds(cacheControl: string): number | undefined {
  const match = /(?:^|,)\s*stale-if-error\s*=\s*"?(\d{1,10})"?\s*(?:,|$)/i.exec(cacheControl);
  return match === null ? undefined : Number(match[1]);
}
