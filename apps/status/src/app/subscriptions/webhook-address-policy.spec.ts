import type { ResolveHost } from '@orcest/egress';
import { WebhookAddressPolicy, WebhookUrlRefused } from './webhook-address-policy';

/** A resolver answering from a table (names not in it do not resolve); `asked` lists what it was asked. */
function resolverOf(table: Record<string, string[]>, asked: string[] = []): ResolveHost {
  return async (host) => {
    asked.push(host);
    const found = table[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('webhook address policy: on subscribe', () => {
  const asked: string[] = [];
  const strict = new WebhookAddressPolicy(false, resolverOf({ 'hooks.example': ['93.184.216.34'], 'inside.example': ['10.0.0.8'], 'mixed.example': ['93.184.216.34', '169.254.169.254'], localhost: ['127.0.0.1'] }, asked));
  beforeEach(() => {
    asked.length = 0;
  });

  // The verdict on the URL itself is libs/egress's urlRefusal (every range and spelling is in its
  // spec); here, that the form applies it, before looking anything up.
  it.each([
    ['http://127.0.0.1:8080/hook', 'webhook_url points at 127.0.0.1, a loopback address (127.0.0.0/8).'],
    ['https://169.254.169.254/latest/meta-data', 'webhook_url points at 169.254.169.254, a link-local (cloud metadata) address (169.254.0.0/16).'],
    ['http://2130706433/', 'webhook_url points at 127.0.0.1, a loopback address (127.0.0.0/8).'],
    ['http://[::127.0.0.1]/hook', 'webhook_url points at [::7f00:1], a loopback address (127.0.0.0/8).'],
    ['http://[64:ff9b::a9fe:a9fe]/hook', 'webhook_url points at [64:ff9b::a9fe:a9fe], a link-local (cloud metadata) address (169.254.0.0/16).'],
    // localhost is this machine by definition: refused by its name, not by its lookup.
    ['http://localhost:8080/hook', 'webhook_url points at localhost, this machine (loopback).'],
    ['http://status.localhost/hook', 'webhook_url points at status.localhost, this machine (loopback).'],
  ])('refuses %s without resolving anything', async (url, message) => {
    await expect(strict.check(url)).rejects.toThrow(new WebhookUrlRefused(message));
    expect(asked).toEqual([]);
  });

  it('a name is judged by every address it resolves to, the message naming the address; one that does not resolve is refused', async () => {
    await expect(strict.check('https://hooks.example/hook')).resolves.toEqual(new URL('https://hooks.example/hook'));
    await expect(strict.check('https://inside.example/hook')).rejects.toThrow(new WebhookUrlRefused('webhook_url points at inside.example, which resolves to 10.0.0.8, a private address (10.0.0.0/8).'));
    await expect(strict.check('https://mixed.example/hook')).rejects.toThrow(new WebhookUrlRefused('webhook_url points at mixed.example, which resolves to 169.254.169.254, a link-local (cloud metadata) address (169.254.0.0/16).'));
    await expect(strict.check('https://nowhere.example/hook')).rejects.toThrow(new WebhookUrlRefused('webhook_url points at nowhere.example, which does not resolve.'));
    expect(asked).toEqual(['hooks.example', 'inside.example', 'mixed.example', 'nowhere.example']);
  });

  it('passes public addresses, including IPv6 forms of a public IPv4 address', async () => {
    for (const url of ['https://93.184.216.34/hook', 'http://[2606:4700::1111]/', 'http://[64:ff9b::808:808]/', 'http://[2002:808:808::]/']) {
      await expect(strict.check(url)).resolves.toBeInstanceOf(URL);
    }
  });

  it('refuses other schemes, credentials and what is not a URL', async () => {
    await expect(strict.check('ftp://93.184.216.34/')).rejects.toThrow(new WebhookUrlRefused('webhook_url uses ftp:, not http or https.'));
    await expect(strict.check('https://u:p@93.184.216.34/')).rejects.toThrow(new WebhookUrlRefused('webhook_url must not carry a user or password.'));
    await expect(strict.check('not a url')).rejects.toThrow(new WebhookUrlRefused('webhook_url is not a URL.'));
    await expect(strict.check(`https://93.184.216.34/${'x'.repeat(2000)}`)).rejects.toThrow(new WebhookUrlRefused('webhook_url is too long.'));
  });

  it('STATUS_ALLOW_PRIVATE_WEBHOOKS=true: private addresses pass, the form checks still apply', async () => {
    const open = new WebhookAddressPolicy(true, resolverOf({}));
    await expect(open.check('http://127.0.0.1:1/hook')).resolves.toBeInstanceOf(URL);
    await expect(open.check('http://[::127.0.0.1]/hook')).resolves.toBeInstanceOf(URL);
    await expect(open.check('http://localhost:1/hook')).resolves.toBeInstanceOf(URL);
    await expect(open.check('http://unresolvable.example/hook')).resolves.toBeInstanceOf(URL);
    await expect(open.check('ftp://127.0.0.1/')).rejects.toThrow(WebhookUrlRefused);
  });
});

describe('webhook address policy: before each delivery', () => {
  const strict = new WebhookAddressPolicy(false, resolverOf({}));

  it('refuses a stored literal non-public address, naming it (sockets never look literals up)', () => {
    expect(() => strict.checkBeforeDelivery('http://[::7f00:1]:8080/hook')).toThrow(
      new WebhookUrlRefused('http://[::7f00:1]:8080/hook points at [::7f00:1], a loopback address (127.0.0.0/8), refused for subscriber webhooks'),
    );
    expect(() => strict.checkBeforeDelivery('http://169.254.169.254/latest')).toThrow(/link-local \(cloud metadata\)/);
  });

  it('refuses a stored localhost, and a stored URL that is not http(s), before connecting (given up at once, not retried)', () => {
    expect(() => strict.checkBeforeDelivery('http://localhost:9/hook')).toThrow(new WebhookUrlRefused('http://localhost:9/hook points at localhost, this machine (loopback), refused for subscriber webhooks'));
    expect(() => strict.checkBeforeDelivery('file:///etc/passwd')).toThrow(new WebhookUrlRefused('file:///etc/passwd uses file:, not http or https, refused for subscriber webhooks'));
  });

  it('leaves names to the sockets\' guarded lookup, and passes public literals', () => {
    expect(() => strict.checkBeforeDelivery('http://inside.example/hook')).not.toThrow();
    expect(() => strict.checkBeforeDelivery('https://93.184.216.34/hook')).not.toThrow();
    expect(() => new WebhookAddressPolicy(true).checkBeforeDelivery('http://127.0.0.1:9/hook')).not.toThrow();
  });

  it('the sockets\' lookup refuses a name now answering with a private address (rebinding)', async () => {
    const rebound = new WebhookAddressPolicy(false, resolverOf({ 'hooks.example': ['127.0.0.1'] }));
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => rebound.lookup('hooks.example', { all: true }, (e) => resolve(e)));
    expect(error).toMatchObject({ code: 'EPRIVATEADDRESS', message: 'hooks.example resolves to 127.0.0.1, a loopback address (127.0.0.0/8), which subscriber webhooks may not reach' });
  });

  it('finds that refusal in a failed delivery, as thrown or as the cause of a client\'s error, and nothing else', async () => {
    const rebound = new WebhookAddressPolicy(false, resolverOf({ 'hooks.example': ['127.0.0.1'] }));
    const refused = await new Promise<Error | null>((resolve) => rebound.lookup('hooks.example', { all: true }, (e) => resolve(e)));
    const wording = 'hooks.example resolves to 127.0.0.1, a loopback address (127.0.0.0/8), which subscriber webhooks may not reach';
    expect(rebound.refusalIn(refused)).toEqual(new WebhookUrlRefused(wording));
    expect(rebound.refusalIn(new TypeError('fetch failed', { cause: refused }))).toEqual(new WebhookUrlRefused(wording));
    expect(rebound.refusalIn(Object.assign(new Error('connect ECONNREFUSED 93.184.216.34:443'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(rebound.refusalIn('not an error')).toBeUndefined();
  });
});
