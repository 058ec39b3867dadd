/**
 * The response cache's settings: `router_settings.cache` (on for every alias, plus the store's
 * bounds) and `model_info.cache` on an alias's entries (its own freshness, or `false`: never
 * cached). Parsed once here into `ResponseCacheSettings`; the gateway's cache folder reads only
 * that. What the keys mean is in docs/response-cache.md.
 */
import { z } from 'zod';
import { ConfigError } from '../config-error';
import type { YamlSource } from '../yaml-source';

const seconds = z.coerce.number().min(0);

/** The freshness keys an alias may set for itself. */
export const cacheFreshnessSchema = z
  .object({
    /** Seconds an answer is served from the cache. */
    ttl: seconds.positive().optional(),
    /** Seconds past `ttl` an answer is kept for the offline last resort; 0 = none. */
    max_stale: seconds.optional(),
    /** Serve an expired answer (up to `max_stale`) when every upstream failed, without the request asking. */
    stale_if_error: z.boolean().optional(),
  })
  .strict();

export const routerCacheSchema = z.union([
  z.boolean(),
  cacheFreshnessSchema.extend({
    /** Answers kept in memory on one replica (LRU). */
    max_entries: z.coerce.number().int().min(1).optional(),
    /** Bytes of answers kept in memory on one replica (LRU); also the largest answer cached. */
    max_bytes: z.coerce.number().int().min(65_536).optional(),
  }).strict(),
]);

export const modelInfoCacheSchema = z.union([z.literal(false), z.literal(true), cacheFreshnessSchema]);

export interface CacheFreshness {
  readonly ttlMs: number;
  readonly maxStaleMs: number;
  readonly staleIfError: boolean;
}

export interface ResponseCacheSettings {
  /** `router_settings.cache` is on: every alias is cached unless its entries say `cache: false`. */
  readonly allAliases: boolean;
  /** Freshness for aliases that set none (router_settings.cache's, else the built-in defaults). */
  readonly defaults: CacheFreshness;
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Aliases whose entries set `model_info.cache`: their freshness, or `false` (never cached, whatever the request asks). */
  readonly aliases: Readonly<Record<string, CacheFreshness | false>>;
}

export const CACHE_DEFAULTS = Object.freeze({ ttl: 3600, max_stale: 86_400, stale_if_error: true, max_entries: 10_000, max_bytes: 64 * 1024 * 1024 });

type RouterCache = z.infer<typeof routerCacheSchema>;
type ModelInfoCache = z.infer<typeof modelInfoCacheSchema>;

/** One entry's `model_info.cache`, with where it was written (for the disagreement error). */
export interface EntryCache {
  readonly alias: string;
  readonly index: number;
  readonly cache: ModelInfoCache;
}

export function responseCacheSettings(routerCache: RouterCache | undefined, entries: readonly EntryCache[], source: YamlSource): ResponseCacheSettings {
  const section = typeof routerCache === 'object' ? routerCache : {};
  const defaults = freshness(section, {
    ttlMs: CACHE_DEFAULTS.ttl * 1000,
    maxStaleMs: CACHE_DEFAULTS.max_stale * 1000,
    staleIfError: CACHE_DEFAULTS.stale_if_error,
  });
  const aliases: Record<string, CacheFreshness | false> = {};
  const setBy = new Map<string, EntryCache>();
  for (const entry of entries) {
    // Entries of one alias are one cache: they must not disagree about it.
    const first = setBy.get(entry.alias);
    if (first !== undefined) {
      if (JSON.stringify(first.cache) !== JSON.stringify(entry.cache)) {
        throw new ConfigError(
          `${source.locate(['model_list', entry.index, 'model_info', 'cache'])}: model_list.${entry.index}.model_info.cache: differs from model_list.${first.index}'s; the entries of ${entry.alias} share one cache, so they must say the same (or only one says it)`,
        );
      }
      continue;
    }
    setBy.set(entry.alias, entry);
    aliases[entry.alias] = entry.cache === false ? false : freshness(entry.cache === true ? {} : entry.cache, defaults);
  }
  return Object.freeze({
    allAliases: routerCache !== undefined && routerCache !== false,
    defaults,
    maxEntries: section.max_entries ?? CACHE_DEFAULTS.max_entries,
    maxBytes: section.max_bytes ?? CACHE_DEFAULTS.max_bytes,
    aliases: Object.freeze(aliases),
  });
}

function freshness(given: z.infer<typeof cacheFreshnessSchema>, base: CacheFreshness): CacheFreshness {
  return Object.freeze({
    ttlMs: given.ttl !== undefined ? given.ttl * 1000 : base.ttlMs,
    maxStaleMs: given.max_stale !== undefined ? given.max_stale * 1000 : base.maxStaleMs,
    staleIfError: given.stale_if_error ?? base.staleIfError,
  });
}
