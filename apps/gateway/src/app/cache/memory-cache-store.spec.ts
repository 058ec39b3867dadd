import { answerBytes, type CachedAnswer } from './cached-answer';
import { MemoryCacheStore } from './memory-cache-store';

function answer(body: string, keepUntil = 1_000_000): CachedAnswer {
  return { body, storedAt: 0, freshUntil: keepUntil, keepUntil, deployment: 'd', tier: 'free', upstream: 'u', model: 'm' };
}

describe('MemoryCacheStore', () => {
  it('evicts the least recently used entry past max_entries', async () => {
    const store = new MemoryCacheStore(2, 1 << 20, () => 0);
    store.set('a', answer('A'));
    store.set('b', answer('B'));
    expect((await store.get('a'))?.body).toBe('A'); // a is now the most recent
    store.set('c', answer('C'));
    expect(await store.get('b')).toBeUndefined();
    expect((await store.get('a'))?.body).toBe('A');
    expect((await store.get('c'))?.body).toBe('C');
    expect(store.size).toBe(2);
  });

  it('evicts by bytes, oldest first, and keeps its byte count exact', () => {
    const one = answerBytes(answer('x'.repeat(1000)));
    const store = new MemoryCacheStore(100, one * 2, () => 0);
    store.set('a', answer('x'.repeat(1000)));
    store.set('b', answer('y'.repeat(1000)));
    expect(store.bytes).toBe(one * 2);
    store.set('c', answer('z'.repeat(1000)));
    expect(store.read('a')).toBeUndefined();
    expect(store.size).toBe(2);
    expect(store.bytes).toBe(one * 2);
  });

  it('never stores an answer larger than the whole budget (it would evict everything for nothing)', () => {
    const store = new MemoryCacheStore(100, 1000, () => 0);
    store.set('small', answer('s'));
    store.set('big', answer('b'.repeat(2000)));
    expect(store.read('big')).toBeUndefined();
    expect(store.read('small')?.body).toBe('s');
  });

  it('replacing a key counts its bytes once', () => {
    const store = new MemoryCacheStore(100, 1 << 20, () => 0);
    store.set('a', answer('one'));
    store.set('a', answer('two'));
    expect(store.size).toBe(1);
    expect(store.bytes).toBe(answerBytes(answer('two')));
  });

  it('drops an answer once past its keepUntil, when read or when a write passes it at the front', () => {
    let now = 0;
    const store = new MemoryCacheStore(100, 1 << 20, () => now);
    store.set('old', answer('o', 10));
    store.set('new', answer('n', 100));
    now = 50;
    store.set('newer', answer('w', 100));
    expect(store.size).toBe(2);
    expect(store.read('new')?.body).toBe('n');
    now = 100;
    expect(store.read('new')).toBeUndefined();
    expect(store.bytes).toBe(answerBytes(answer('w', 100)));
  });
});
