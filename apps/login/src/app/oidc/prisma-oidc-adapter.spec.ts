/**
 * The OIDC store and text PostgreSQL cannot hold, on a real database. A lone UTF-16 surrogate
 * does not reach the store over HTTP today (query strings and form bodies are decoded into
 * well-formed text; the provider's JSON-decoded values, such as a client assertion's `sub`, are
 * only looked up), so the store is driven directly: it is the last line before PostgreSQL.
 */
import { useTestPrisma } from '@orcest/db/testing';
import { prismaOidcAdapterFactory, type OidcPayload } from './prisma-oidc-adapter';

/** Where the store saw what PostgreSQL would refuse: the provider's invalid_request in the app. */
const refused = new Error('refused text');

describe('prismaOidcAdapter: text PostgreSQL cannot hold (real PostgreSQL)', () => {
  const database = useTestPrisma();
  const adapter = (model: string) => new (prismaOidcAdapterFactory(database.prisma, { alreadyConsumed: () => new Error('consumed'), refusedText: () => refused }))(model);

  it.each<[string, (text: string) => OidcPayload]>([
    ['a request parameter', (text) => ({ params: { login_hint: text, state: 'ok' } })],
    ['a value deep in an array', (text) => ({ prompt: { details: { missing: ['ok', text] } } })],
    ['a key', (text) => ({ params: { [text]: 'v' } })],
  ])('refuses a payload with a lone surrogate in %s (rather than failing the statement), and stores the whole pair as sent', async (_where, payloadWith) => {
    const interactions = adapter('Interaction');
    for (const lone of ['a\ud800b', 'a\udc00b', 'a\ude00\ud83db']) {
      await expect(interactions.upsert('refused', payloadWith(lone), 60)).rejects.toBe(refused);
    }
    expect(await database.prisma.oidcModel.count({ where: { id: 'refused' } })).toBe(0);

    const pair = payloadWith('a\ud83d\ude00b \uFFFD');
    await interactions.upsert('kept', pair, 60);
    expect(await interactions.find('kept')).toEqual(pair);
  });

  describe('a lookup value with a lone surrogate finds nothing, not the row its U+FFFD would match', () => {
    // The driver sends a lone surrogate in a text parameter as U+FFFD: these rows are what such
    // a lookup used to find.
    const stored = 'a\uFFFDb';
    const lone = 'a\ud800b';

    beforeAll(async () => {
      await database.prisma.oidcModel.create({ data: { model: 'Session', id: stored, uid: stored, payload: { uid: stored } } });
      await database.prisma.oidcModel.create({ data: { model: 'DeviceCode', id: 'device', userCode: stored, payload: { userCode: stored } } });
      await database.prisma.oidcClient.create({ data: { clientId: stored, service: 'llm', name: 'Odd', redirectUris: ['http://localhost:3999/cb'], secret: 'secret' } });
    });

    it.each<[string, (value: string) => Promise<OidcPayload | undefined>]>([
      ['find (a session id)', (value) => adapter('Session').find(value)],
      ['findByUid', (value) => adapter('Session').findByUid(value)],
      ['findByUserCode', (value) => adapter('DeviceCode').findByUserCode(value)],
      ['find (a client id)', (value) => adapter('Client').find(value)],
    ])('%s', async (_lookup, look) => {
      expect(await look(stored)).toBeDefined();
      expect(await look(lone)).toBeUndefined();
    });
  });
});
