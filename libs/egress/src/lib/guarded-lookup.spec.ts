import { connect } from 'node:net';
import { FakeDnsServer, FakeTarget } from '@orcest/testing';
import { EgressPolicy } from './egress-policy';
import { guardedLookup, PrivateAddressRefused, type SocketLookup } from './guarded-lookup';
import { EgressPolicyHolder } from './policy-holder';

function lookupAll(lookup: SocketLookup, host: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    lookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve((found as Array<{ address: string }>).map((a) => a.address)))),
  );
}

describe('guardedLookup: DNS answers checked at connect time', () => {
  let dns: FakeDnsServer;
  beforeAll(async () => {
    dns = await FakeDnsServer.start();
  });
  afterAll(() => dns.close());

  it('refuses a name that now resolves to a private address (rebinding), lets a public answer through', async () => {
    const lookup = guardedLookup(EgressPolicy.PUBLIC_ONLY, dns.resolveHost);
    dns.set('upstream.test', 'A', ['93.184.216.34']);
    await expect(lookupAll(lookup, 'upstream.test')).resolves.toEqual(['93.184.216.34']);
    dns.set('upstream.test', 'A', ['127.0.0.1']);
    const refused = lookupAll(lookup, 'upstream.test');
    await expect(refused).rejects.toBeInstanceOf(PrivateAddressRefused);
    await expect(refused).rejects.toMatchObject({
      code: 'EPRIVATEADDRESS',
      address: '127.0.0.1',
      message: 'upstream.test resolves to 127.0.0.1, a loopback address (127.0.0.0/8), which upstreams may not reach',
    });
    dns.set('upstream.test', 'A', ['169.254.169.254']);
    await expect(lookupAll(lookup, 'upstream.test')).rejects.toMatchObject({ code: 'EPRIVATEADDRESS', message: expect.stringContaining('cloud metadata') });
    dns.set('upstream.test', 'A', []);
    dns.set('upstream.test', 'AAAA', ['::ffff:7f00:1']);
    await expect(lookupAll(lookup, 'upstream.test')).rejects.toMatchObject({ code: 'EPRIVATEADDRESS' });
  });

  it('keeps only the public answers of a mixed answer', async () => {
    dns.set('mixed.test', 'A', ['10.0.0.7', '93.184.216.34']);
    await expect(lookupAll(guardedLookup(EgressPolicy.PUBLIC_ONLY, dns.resolveHost), 'mixed.test')).resolves.toEqual(['93.184.216.34']);
  });

  it('what the policy allows passes: a name by name, an address by its range', async () => {
    dns.set('ollama', 'A', ['172.18.0.4']);
    await expect(lookupAll(guardedLookup(EgressPolicy.parse('ollama'), dns.resolveHost), 'ollama')).resolves.toEqual(['172.18.0.4']);
    await expect(lookupAll(guardedLookup(EgressPolicy.parse('172.16.0.0/12'), dns.resolveHost), 'ollama')).resolves.toEqual(['172.18.0.4']);
    await expect(lookupAll(guardedLookup(EgressPolicy.parse('other'), dns.resolveHost), 'ollama')).rejects.toMatchObject({ code: 'EPRIVATEADDRESS' });
  });

  it('given a holder, each lookup judges by the policy in force at that moment', async () => {
    dns.set('swapped.test', 'A', ['10.0.0.9']);
    const holder = new EgressPolicyHolder(EgressPolicy.PUBLIC_ONLY);
    const lookup = guardedLookup(holder, dns.resolveHost);
    await expect(lookupAll(lookup, 'swapped.test')).rejects.toMatchObject({ code: 'EPRIVATEADDRESS' });
    expect(holder.use(EgressPolicy.parse('10.0.0.0/8'))).toBe(true);
    await expect(lookupAll(lookup, 'swapped.test')).resolves.toEqual(['10.0.0.9']);
    // The same allowance written again is no change (pools are kept); another one is.
    expect(holder.use(EgressPolicy.parse('10.0.0.0/8'))).toBe(false);
    expect(holder.use(EgressPolicy.PUBLIC_ONLY)).toBe(true);
    await expect(lookupAll(lookup, 'swapped.test')).rejects.toMatchObject({ code: 'EPRIVATEADDRESS' });
  });

  it('a socket using it never connects to the refused address', async () => {
    const target = await FakeTarget.start();
    try {
      dns.set('rebound.test', 'A', ['127.0.0.1']);
      const socket = connect({ host: 'rebound.test', port: Number(new URL(target.url).port), lookup: guardedLookup(EgressPolicy.PUBLIC_ONLY, dns.resolveHost) });
      const error = await new Promise<NodeJS.ErrnoException>((resolve) => socket.once('error', resolve));
      expect(error.code).toBe('EPRIVATEADDRESS');
      // With the loopback allowed, the same socket connects.
      const allowed = connect({ host: 'rebound.test', port: Number(new URL(target.url).port), lookup: guardedLookup(EgressPolicy.parse('127.0.0.0/8'), dns.resolveHost) });
      await new Promise<void>((resolve, reject) => allowed.once('connect', resolve).once('error', reject));
      allowed.destroy();
    } finally {
      await target.close();
    }
  });
});
