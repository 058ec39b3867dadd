import { useTestPrisma } from '@orcest/db/testing';
import { parseResponsesRequest } from '../responses-request';
import { completeFromChat, newId, responseSkeleton } from '../response-object';
import type { ResponseObject } from '../responses-types';
import { ResponseStore } from './response-store';

const DAY = 86_400_000;
const ALICE = 'user:00000000-0000-4000-8000-00000000000a';
const BOB = 'user:00000000-0000-4000-8000-00000000000b';

function answered(text: string): ResponseObject {
  const r = responseSkeleton(parseResponsesRequest({ model: 'm', input: 'x' }), newId('resp'), 1, true);
  completeFromChat(r, JSON.stringify({ model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] }), 2);
  return r;
}

describe('ResponseStore (real PostgreSQL)', () => {
  const database = useTestPrisma();
  let clock = Date.UTC(2026, 0, 1);
  const now = () => clock;

  beforeEach(async () => {
    await database.prisma.storedResponse.deleteMany();
    clock = Date.UTC(2026, 0, 1);
  });

  it('gives a saved response back to its owner only, even before the write finished', async () => {
    const store = new ResponseStore(database.prisma, { ttlMs: 30 * DAY, now });
    const response = answered('hello');
    const conversation = [
      { role: 'user' as const, content: 'hi' },
      { role: 'assistant' as const, content: 'hello' },
    ];
    store.save(ALICE, response, conversation);
    // No await between save and find: the read waits for the write under way.
    const found = await store.find(response.id, ALICE);
    expect(found?.response).toEqual(response);
    expect(found?.conversation).toEqual(conversation);
    expect(await store.find(response.id, BOB)).toBeUndefined();
    expect(await store.find('resp_missing', ALICE)).toBeUndefined();
    await store.close();
  });

  it('deletes for the owner only', async () => {
    const store = new ResponseStore(database.prisma, { ttlMs: DAY, now });
    const response = answered('x');
    store.save(ALICE, response, []);
    expect(await store.delete(response.id, BOB)).toBe(false);
    expect(await store.delete(response.id, ALICE)).toBe(true);
    expect(await store.delete(response.id, ALICE)).toBe(false);
    expect(await store.find(response.id, ALICE)).toBeUndefined();
    await store.close();
  });

  it('hides expired responses at once and prunes them in batches', async () => {
    const store = new ResponseStore(database.prisma, { ttlMs: DAY, pruneBatch: 2, now });
    const old = [answered('a'), answered('b'), answered('c'), answered('d'), answered('e')];
    for (const r of old) store.save(ALICE, r, []);
    await store.close();
    clock += DAY / 2;
    const fresh = answered('f');
    store.save(ALICE, fresh, []);
    await store.close();

    clock += DAY / 2 + 1;
    expect(await store.find(old[0].id, ALICE)).toBeUndefined();
    expect(await store.find(fresh.id, ALICE)).toBeDefined();
    expect(await store.prune()).toBe(5);
    expect(await database.prisma.storedResponse.count()).toBe(1);
    expect(await store.prune()).toBe(0);
  });

  it('keeps a conversation with NUL characters or a lone surrogate (jsonb holds neither), as U+FFFD, without touching the caller\'s objects', async () => {
    const store = new ResponseStore(database.prisma, { ttlMs: DAY, now });
    const response = answered('out\u0000put');
    const conversation = [{ role: 'user' as const, content: 'in\u0000put' }, { role: 'user' as const, content: 'lone \uD800' }];
    await store.save(ALICE, response, conversation);
    const found = await store.find(response.id, ALICE);
    expect(found?.conversation).toEqual([
      { role: 'user', content: 'in\ufffdput' },
      { role: 'user', content: 'lone \ufffd' },
    ]);
    expect(JSON.stringify(found?.response)).toContain('out\ufffdput');
    expect(conversation[0].content).toBe('in\u0000put');
    expect(JSON.stringify(response)).toContain('out\\u0000put');
    await store.close();
  });

  it('never looks up an id it cannot have made (a NUL, another shape): not found, not a database error', async () => {
    const store = new ResponseStore(database.prisma, { ttlMs: DAY, now });
    for (const id of ['resp_\u0000x', `resp_${'0'.repeat(47)}\u0000`, 'resp_' + 'a'.repeat(5000), 'msg_' + '0'.repeat(48)]) {
      expect(await store.find(id, ALICE)).toBeUndefined();
      expect(await store.delete(id, ALICE)).toBe(false);
    }
    await store.close();
  });

  it('logs a write that failed instead of throwing (the client already has its answer)', async () => {
    const warnings: string[] = [];
    const store = new ResponseStore(database.prisma, { ttlMs: DAY, now, warn: (m) => warnings.push(m) });
    const response = answered('x');
    store.save(ALICE, response, []);
    store.save(ALICE, response, []);
    await store.close();
    expect(warnings).toEqual([expect.stringContaining(`stored response ${response.id} lost`)]);
    expect(await store.find(response.id, ALICE)).toBeDefined();
  });
});
