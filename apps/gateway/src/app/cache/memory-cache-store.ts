/**
 * The cache on one replica: a Map in least-recently-used order (a hit moves its entry to the
 * end; eviction takes from the front), bounded by entries and by bytes. An entry is dropped
 * once past its `keepUntil`, when read or when it reaches the front. Lookups are synchronous
 * underneath; the async surface is the store contract Redis shares.
 */
import { answerBytes, type CachedAnswer } from './cached-answer';
import type { CacheStore } from './cache-store';

interface Slot {
  readonly answer: CachedAnswer;
  readonly bytes: number;
}

export class MemoryCacheStore implements CacheStore {
  private readonly slots = new Map<string, Slot>();
  private totalBytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get(key: string): Promise<CachedAnswer | undefined> {
    return Promise.resolve(this.read(key));
  }

  read(key: string): CachedAnswer | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    this.slots.delete(key);
    if (slot.answer.keepUntil <= this.now()) {
      this.totalBytes -= slot.bytes;
      return undefined;
    }
    this.slots.set(key, slot);
    return slot.answer;
  }

  set(key: string, answer: CachedAnswer): void {
    const bytes = answerBytes(answer);
    this.remove(key);
    // An answer bigger than the whole budget would evict everything else for nothing.
    if (bytes > this.maxBytes) return;
    this.slots.set(key, { answer, bytes });
    this.totalBytes += bytes;
    const now = this.now();
    for (const [oldest, slot] of this.slots) {
      const expired = slot.answer.keepUntil <= now;
      if (!expired && this.slots.size <= this.maxEntries && this.totalBytes <= this.maxBytes) break;
      this.slots.delete(oldest);
      this.totalBytes -= slot.bytes;
    }
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.slots.clear();
    this.totalBytes = 0;
    return Promise.resolve();
  }

  private remove(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.slots.delete(key);
    this.totalBytes -= slot.bytes;
  }
}
