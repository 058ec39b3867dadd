import { EgressPolicy } from './egress-policy';
import { ipLiteralOf, urlRefusal } from './url-refusal';

describe('urlRefusal', () => {
  const none = EgressPolicy.PUBLIC_ONLY;

  it.each([
    ['http://127.0.0.1:11434', 'points at 127.0.0.1, a loopback address (127.0.0.0/8)'],
    ['http://10.0.0.5/v1', 'points at 10.0.0.5, a private address (10.0.0.0/8)'],
    ['http://169.254.169.254/latest/meta-data', 'points at 169.254.169.254, a link-local (cloud metadata) address (169.254.0.0/16)'],
    ['http://100.64.1.1', 'points at 100.64.1.1, a shared (CGNAT) address (100.64.0.0/10)'],
    ['http://0.0.0.0:8080', 'points at 0.0.0.0, an unspecified ("this network") address (0.0.0.0/8)'],
    ['http://192.0.2.10/', 'points at 192.0.2.10, a documentation address (192.0.2.0/24)'],
    ['http://[2001:db8::1]/', 'points at [2001:db8::1], a documentation address (2001:db8::/32)'],
    ['http://[::1]:11434', 'points at [::1], a loopback address (::1/128)'],
    ['http://[fd00::5]/', 'points at [fd00::5], a private (unique local) address (fc00::/7)'],
    ['http://[fe80::1]/', 'points at [fe80::1], a link-local address (fe80::/10)'],
    // Other spellings of 127.0.0.1 and 169.254.169.254: the URL parser normalises them first.
    ['http://2130706433/', 'points at 127.0.0.1, a loopback address (127.0.0.0/8)'],
    ['http://0x7f.0.0.1/', 'points at 127.0.0.1, a loopback address (127.0.0.0/8)'],
    ['http://0177.0.0.1/', 'points at 127.0.0.1, a loopback address (127.0.0.0/8)'],
    ['http://127.1/', 'points at 127.0.0.1, a loopback address (127.0.0.0/8)'],
    ['http://0xa9fea9fe/', 'points at 169.254.169.254, a link-local (cloud metadata) address (169.254.0.0/16)'],
    // IPv6 forms carrying an IPv4 address (mapped, compatible, 6to4, NAT64) are judged by it.
    ['http://[::ffff:127.0.0.1]/', 'points at [::ffff:7f00:1], a loopback address (127.0.0.0/8)'],
    ['http://[::ffff:169.254.169.254]/', 'points at [::ffff:a9fe:a9fe], a link-local (cloud metadata) address (169.254.0.0/16)'],
    ['http://[::127.0.0.1]/hook', 'points at [::7f00:1], a loopback address (127.0.0.0/8)'],
    ['http://[2002:7f00:1::]/hook', 'points at [2002:7f00:1::], a loopback address (127.0.0.0/8)'],
    ['http://[64:ff9b::a9fe:a9fe]/hook', 'points at [64:ff9b::a9fe:a9fe], a link-local (cloud metadata) address (169.254.0.0/16)'],
    ['http://localhost:11434', 'points at localhost, this machine (loopback)'],
    ['http://api.localhost/', 'points at api.localhost, this machine (loopback)'],
    ['http://LOCALHOST./', 'points at localhost., this machine (loopback)'],
    ['ftp://example.com/', 'uses ftp:, not http or https'],
    ['file:///etc/passwd', 'uses file:, not http or https'],
    ['not a url', 'is not a URL'],
  ])('%s %s', (url, reason) => {
    expect(urlRefusal(url, none)).toBe(reason);
  });

  it('passes public addresses, IPv6 forms of a public IPv4 address, and names (judged by their DNS answers elsewhere)', () => {
    for (const url of ['https://api.openai.com/v1', 'http://93.184.216.34:8080', 'http://[2606:4700::1111]/', 'http://[64:ff9b::808:808]/', 'http://[2002:808:808::]/', 'http://ollama:11434']) {
      expect(urlRefusal(url, none)).toBeUndefined();
    }
  });

  it('what the policy allows passes', () => {
    const loopback = EgressPolicy.parse('127.0.0.0/8,::1');
    expect(urlRefusal('http://127.0.0.1:11434', loopback)).toBeUndefined();
    expect(urlRefusal('http://localhost:11434', loopback)).toBeUndefined();
    expect(urlRefusal('http://10.0.0.1', loopback)).toMatch(/private/);
    const byName = EgressPolicy.parse('localhost');
    expect(urlRefusal('http://localhost:11434', byName)).toBeUndefined();
    expect(urlRefusal('http://127.0.0.1:11434', byName)).toMatch(/loopback/);
  });

  it('allowing every private address still allows only http(s) URLs', () => {
    const all = EgressPolicy.ALLOW_ALL_PRIVATE;
    for (const url of ['http://169.254.169.254', 'http://[::127.0.0.1]/', 'http://localhost:1/']) expect(urlRefusal(url, all)).toBeUndefined();
    expect(urlRefusal('ftp://127.0.0.1/', all)).toBe('uses ftp:, not http or https');
    expect(urlRefusal('not a url', all)).toBe('is not a URL');
  });
});

describe('ipLiteralOf', () => {
  it('the address a host is, without brackets; undefined for a name', () => {
    expect(ipLiteralOf(new URL('http://[::127.0.0.1]/'))).toBe('::7f00:1');
    expect(ipLiteralOf(new URL('http://2130706433/'))).toBe('127.0.0.1');
    expect(ipLiteralOf(new URL('http://hooks.example/'))).toBeUndefined();
    expect(ipLiteralOf(new URL('http://localhost/'))).toBeUndefined();
  });
});
