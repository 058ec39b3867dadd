/**
 * The response cache as the chat pipeline sees it: `begin` decides whether a request takes
 * part (cache-policy.ts) and keys it (cache-key.ts); `fresh` is the look-up before the walk;
 * `fill` stores a complete answer after it; `stale` is the offline last resort when every
 * upstream failed. Counts each request's outcome for /metrics (in counters that outlive it:
 * cache-counters.ts). The store is one replica's memory, or Redis shared by every replica when
 * REDIS_URL is set.
 */
import type { DeploymentSpec, ResponseCacheSettings } from '@orcest/config';
import type { Deployment } from '../deployments/deployment';
import { cacheKey } from './cache-key';
import type { CacheCounters, CacheVerdict } from './cache-counters';
import { CachePolicy, cacheMode, type CacheParticipation } from './cache-policy';
import type { CacheStore } from './cache-store';
import type { CachedAnswer } from './cached-answer';
import { MemoryCacheStore } from './memory-cache-store';

/** One request's part in the cache, from `begin` to its answer. */
export class CacheTicket {
  /** An expired answer the look-up found: the stale candidate, so the last resort reads nothing again. */
  expired: CachedAnswer | undefined = undefined;

  constructor(
    readonly alias: string,
    readonly participation: CacheParticipation,
    /** Undefined when the request is not cached (`skip`). */
    readonly key: string | undefined,
  ) {}
}

export class ResponseCache {
  private readonly policy: CachePolicy;
  /** Per alias: the models it is made of, in every key, so a changed config never serves another model's answers. */
  private readonly fingerprints = new Map<string, string>();

  constructor(
    private readonly settings: ResponseCacheSettings,
    deployments: readonly DeploymentSpec[],
    readonly store: CacheStore,
    /** The process's counters, shared by every table's cache so a reload never resets them. */
    private readonly counters: CacheCounters,
    private readonly now: () => number = Date.now,
  ) {
    this.policy = new CachePolicy(settings);
    const models = new Map<string, string[]>();
    // The models, not their addresses: moving a server does not change its answers.
    for (const d of deployments) models.set(d.alias, [...(models.get(d.alias) ?? []), d.model]);
    for (const [alias, list] of models) this.fingerprints.set(alias, list.sort().join('\n'));
  }

  /** The largest answer cached (its JSON): a stream being assembled stops collecting past it. */
  get maxAnswerBytes(): number {
    return this.settings.maxBytes;
  }

  /**
   * The request's part in the cache, or undefined when it has none. `protocol` names the
   * client's protocol (its answers are in that protocol's shape). Throws InvalidRequestError
   * for an unknown `x-rainymodel-cache` value. Hashes only when the request is cached.
   */
  begin(alias: string, protocol: string, headers: Readonly<Record<string, string | string[] | undefined>>, body: Readonly<Record<string, unknown>>): CacheTicket | undefined {
    const participation = this.policy.participation(alias, cacheMode(headers['x-rainymodel-cache']), body, headers);
    if (participation === undefined) return undefined;
    const key = participation.cached ? cacheKey(alias, `${protocol}\n${this.fingerprints.get(alias) ?? ''}`, body) : undefined;
    return new CacheTicket(alias, participation, key);
  }

  /** A fresh answer for the request, if one is cached; remembers an expired one for `stale`. */
  async fresh(ticket: CacheTicket): Promise<CachedAnswer | undefined> {
    if (ticket.key === undefined || !ticket.participation.lookup) return undefined;
    const answer = await this.store.get(ticket.key);
    if (answer === undefined) return undefined;
    if (answer.freshUntil > this.now()) return answer;
    ticket.expired = answer;
    return undefined;
  }

  /** Every upstream failed: an expired answer within the request's stale allowance, if any. */
  async stale(ticket: CacheTicket): Promise<CachedAnswer | undefined> {
    if (ticket.key === undefined || ticket.participation.staleForMs <= 0) return undefined;
    // `refresh` skipped the look-up; `use` remembered what it found.
    const answer = ticket.participation.lookup ? ticket.expired : await this.store.get(ticket.key);
    if (answer === undefined) return undefined;
    return this.now() <= answer.freshUntil + ticket.participation.staleForMs ? answer : undefined;
  }

  /** Stores a complete answer (`chat.completion` JSON) produced by `deployment`. */
  fill(ticket: CacheTicket, body: string, deployment: Deployment): void {
    if (ticket.key === undefined) return;
    const now = this.now();
    const { ttlMs, maxStaleMs } = ticket.participation.freshness;
    this.store.set(ticket.key, {
      body,
      storedAt: now,
      freshUntil: now + ttlMs,
      keepUntil: now + ttlMs + maxStaleMs,
      deployment: deployment.name,
      tier: deployment.tier,
      upstream: deployment.upstream,
      model: deployment.model,
    });
  }


  /** Whole seconds since the answer was stored: the `age` header of a hit or a stale answer. */
  ageSeconds(answer: CachedAnswer): number {
    return Math.max(0, Math.floor((this.now() - answer.storedAt) / 1000));
  }

  /** One request's outcome, once; aliases are configured names (the caller resolved the alias), so labels stay bounded. */
  count(alias: string, verdict: CacheVerdict): void {
    this.counters.count(alias, verdict);
  }

  render(lines: string[]): void {
    this.counters.render(lines);
    if (this.store instanceof MemoryCacheStore) {
      lines.push('# HELP rainymodel_cache_entries Answers held in this replica\'s response cache.', '# TYPE rainymodel_cache_entries gauge', `rainymodel_cache_entries ${this.store.size}`);
      lines.push('# HELP rainymodel_cache_bytes Bytes of answers held in this replica\'s response cache.', '# TYPE rainymodel_cache_bytes gauge', `rainymodel_cache_bytes ${this.store.bytes}`);
    }
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
