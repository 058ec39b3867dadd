/** Where cached answers live: one replica's memory, or Redis shared by every replica. */
import type { CachedAnswer } from './cached-answer';

export interface CacheStore {
  /** The answer under `key` if still kept (fresh or stale); undefined when none, or the store failed. */
  get(key: string): Promise<CachedAnswer | undefined>;
  /** Stores (replaces) the answer; never throws and never waits: a lost write is a later miss. */
  set(key: string, answer: CachedAnswer): void;
  /** Resolves once every write made so far has landed or failed (shutdown, and tests that read through another replica). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
