import type { ResponseCacheSettings } from '@orcest/config';
import { InvalidRequestError } from '../errors';
import { CachePolicy, cacheMode, staleIfErrorSeconds } from './cache-policy';

const fresh = { ttlMs: 60_000, maxStaleMs: 3_600_000, staleIfError: true };
const settings = (over: Partial<ResponseCacheSettings> = {}): ResponseCacheSettings => ({
  allAliases: false,
  defaults: fresh,
  maxEntries: 10,
  maxBytes: 1 << 20,
  aliases: {},
  ...over,
});
const deterministic = { temperature: 0 };

describe('cache policy', () => {
  it('has no part in a request of an uncached alias that does not ask', () => {
    expect(new CachePolicy(settings()).participation('a', undefined, deterministic, {})).toBeUndefined();
  });

  it('caches deterministic requests of a cached alias (temperature 0 or a seed); skips the others', () => {
    const policy = new CachePolicy(settings({ allAliases: true }));
    expect(policy.participation('a', undefined, { temperature: 0 }, {})).toMatchObject({ cached: true, lookup: true, staleForMs: 3_600_000 });
    expect(policy.participation('a', undefined, { temperature: 1, seed: 7 }, {})).toMatchObject({ cached: true });
    expect(policy.participation('a', undefined, {}, {})).toMatchObject({ cached: false });
    expect(policy.participation('a', undefined, { temperature: 0.7 }, {})).toMatchObject({ cached: false });
  });

  it('per request: use caches anything, refresh stores without looking up, skip leaves the cache alone', () => {
    const policy = new CachePolicy(settings());
    expect(policy.participation('a', 'use', { temperature: 1 }, {})).toMatchObject({ cached: true, lookup: true });
    expect(policy.participation('a', 'refresh', {}, {})).toMatchObject({ cached: true, lookup: false });
    expect(policy.participation('a', 'skip', deterministic, {})).toMatchObject({ cached: false });
  });

  it("an alias's cache: false is final; its own freshness overrides the defaults", () => {
    const own = { ttlMs: 1000, maxStaleMs: 0, staleIfError: true };
    const policy = new CachePolicy(settings({ allAliases: true, aliases: { off: false, own } }));
    expect(policy.participation('off', 'use', deterministic, {})).toBeUndefined();
    expect(policy.participation('own', undefined, deterministic, {})).toMatchObject({ freshness: own, staleForMs: 0 });
  });

  it('stale allowance: the alias by stale_if_error, or the request by cache-control stale-if-error, never past max_stale', () => {
    const policy = new CachePolicy(settings({ allAliases: true, defaults: { ...fresh, staleIfError: false } }));
    expect(policy.participation('a', undefined, deterministic, {})?.staleForMs).toBe(0);
    expect(policy.participation('a', undefined, deterministic, { 'cache-control': 'stale-if-error=60' })?.staleForMs).toBe(60_000);
    expect(policy.participation('a', undefined, deterministic, { 'cache-control': 'max-age=0, stale-if-error=999999' })?.staleForMs).toBe(3_600_000);
    const allowing = new CachePolicy(settings({ allAliases: true }));
    expect(allowing.participation('a', undefined, deterministic, { 'cache-control': 'stale-if-error=0' })?.staleForMs).toBe(0);
  });

  it('reads x-rainymodel-cache case-insensitively and refuses unknown values as the caller\'s mistake', () => {
    expect(cacheMode(' USE ')).toBe('use');
    expect(cacheMode(undefined)).toBeUndefined();
    expect(() => cacheMode('always')).toThrow(InvalidRequestError);
  });

  it('parses stale-if-error among other directives', () => {
    expect(staleIfErrorSeconds('no-cache, stale-if-error=30')).toBe(30);
    expect(staleIfErrorSeconds('stale-if-error="5"')).toBe(5);
    expect(staleIfErrorSeconds('max-stale=30')).toBeUndefined();
    expect(staleIfErrorSeconds('stale-if-error=abc')).toBeUndefined();
  });
});
