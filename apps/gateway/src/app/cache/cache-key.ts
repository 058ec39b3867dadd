/**
 * The cache key of a chat request: the alias, what the alias is made of (its deployments'
 * models, so a config change never serves another model's answer), and every request field
 * that can change the answer, as canonical JSON (object keys sorted at every depth) hashed
 * with SHA-256. Computed only for requests the cache applies to (cache-policy.ts), so an
 * uncached request pays nothing for it.
 *
 * Left out, because they change how the answer is delivered but not what it says: `model`
 * (the alias stands for it), `stream` and `stream_options` (a cached answer is replayed in
 * either form), and `user` (an end-user id for the upstream's abuse tracking). Everything
 * else stays in, unknown fields too: an upstream may act on a parameter the gateway does not know.
 */
import { hash } from 'node:crypto';

const DELIVERY_FIELDS: ReadonlySet<string> = new Set(['model', 'stream', 'stream_options', 'user']);

/** Redis keys and log lines name entries by this prefix, so they can be found and counted. */
export const CACHE_KEY_PREFIX = 'rm:cache:v1:';

export function cacheKey(alias: string, aliasFingerprint: string, body: Readonly<Record<string, unknown>>): string {
  // One-shot `hash` (no Hash object): the cheaper form for one string.
  return CACHE_KEY_PREFIX + hash('sha256', `${alias}\u0000${aliasFingerprint}\u0000${canonicalRequest(body)}`, 'base64url');
}

/** The answer-changing fields of a request body as canonical JSON. */
export function canonicalRequest(body: Readonly<Record<string, unknown>>): string {
  return canonicalObject(body, (name) => !DELIVERY_FIELDS.has(name));
}

/** JSON with every object's keys in sorted order (undefined members dropped, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += value[i] === undefined ? 'null' : canonicalJson(value[i]);
    }
    return out + ']';
  }
  return canonicalObject(value as Readonly<Record<string, unknown>>, keepAll);
}

const keepAll = (): boolean => true;

/** An object's members that `keep` names, in sorted key order, undefined ones dropped. */
function canonicalObject(record: Readonly<Record<string, unknown>>, keep: (name: string) => boolean): string {
  const names = Object.keys(record)
    .filter((name) => keep(name) && record[name] !== undefined)
    .sort();
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) out += ',';
    out += JSON.stringify(names[i]) + ':' + canonicalJson(record[names[i]]);
  }
  return out + '}';
}
