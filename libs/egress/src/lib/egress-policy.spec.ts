import { EgressPolicy, EgressPolicyError } from './egress-policy';
import { upstreamUrlRefusal } from './upstream-url';

describe('EgressPolicy', () => {
  it('true/false and their spellings', () => {
    for (const yes of ['true', 'TRUE', '1', 'yes', 'on']) expect(EgressPolicy.parse(yes).allowAllPrivate).toBe(true);
    for (const no of ['false', '0', 'no', 'off', '', '  ']) {
      const policy = EgressPolicy.parse(no);
      expect(policy.allowAllPrivate).toBe(false);
      expect(policy.refusalOf('127.0.0.1')).toBeDefined();
    }
  });

  it('a list of host names, addresses and CIDRs allows exactly those', () => {
    const policy = EgressPolicy.parse('localhost, ollama,10.1.0.0/16 fd00::/8,192.168.1.5');
    expect(policy.allowsHost('ollama')).toBe(true);
    expect(policy.allowsHost('OLLAMA.')).toBe(true);
    expect(policy.allowsHost('ollama.internal')).toBe(false);
    expect(policy.refusalOf('10.1.200.3')).toBeUndefined();
    expect(policy.refusalOf('::ffff:10.1.200.3')).toBeUndefined();
    expect(policy.refusalOf('10.2.0.1')?.name).toBe('private');
    expect(policy.refusalOf('fd12::1')).toBeUndefined();
    expect(policy.refusalOf('fe80::1')?.name).toBe('link-local');
    expect(policy.refusalOf('192.168.1.5')).toBeUndefined();
    expect(policy.refusalOf('192.168.1.6')?.name).toBe('private');
    // Public addresses are never affected by the list.
    expect(policy.refusalOf('8.8.8.8')).toBeUndefined();
    expect(policy.describe()).toBe('localhost, ollama, 10.1.0.0/16, fd00::/8, 192.168.1.5');
  });

  it("PLATFORM_NETWORK (the login's JWKS): loopback and private networks, never link-local or cloud metadata", () => {
    const platform = EgressPolicy.PLATFORM_NETWORK;
    for (const address of ['127.0.0.1', '::1', '10.0.0.5', '172.18.0.3', '192.168.1.10', 'fd12::7', '::ffff:172.18.0.3', '93.184.216.34']) expect(platform.refusalOf(address)).toBeUndefined();
    for (const [address, name] of [
      ['169.254.169.254', 'link-local (cloud metadata)'],
      ['::ffff:169.254.169.254', 'link-local (cloud metadata)'],
      ['fd00:ec2::254', 'cloud metadata (AWS IPv6)'],
      ['fe80::1', 'link-local'],
      ['100.100.100.200', 'shared (CGNAT)'],
      ['0.0.0.0', 'unspecified ("this network")'],
      ['224.0.0.1', 'multicast'],
    ]) {
      expect(platform.refusalOf(address)?.name).toBe(name);
    }
    expect(upstreamUrlRefusal('http://localhost:8090/oauth2/jwks', platform)).toBeUndefined();
    expect(upstreamUrlRefusal('http://169.254.169.254/latest/meta-data', platform)).toMatch(/cloud metadata/);
    expect(platform.allowsHost('login')).toBe(false); // a name is judged by its answers
    expect(platform.describe()).toBe('loopback addresses, private addresses, private (unique local) addresses');
  });

  it('refuses entries it cannot read, naming them', () => {
    expect(() => EgressPolicy.parse('10.0.0.0/33')).toThrow(EgressPolicyError);
    expect(() => EgressPolicy.parse('10.0.0.0/33')).toThrow('"10.0.0.0/33": the prefix length must be 0-32');
    expect(() => EgressPolicy.parse('http://ollama:11434')).toThrow('"http://ollama:11434" is neither true/false, a host name, an IP address nor a CIDR');
    expect(() => EgressPolicy.parse(['ok', 'under_score'])).toThrow('"under_score"');
  });
});

describe('upstreamUrlRefusal (load time)', () => {
  const none = EgressPolicy.PUBLIC_ONLY;

  it.each([
    ['http://127.0.0.1:11434', 'points at 127.0.0.1, a loopback address (127.0.0.0/8)'],
    ['http://10.0.0.5/v1', 'points at 10.0.0.5, a private address (10.0.0.0/8)'],
    ['http://169.254.169.254/latest/meta-data', 'points at 169.254.169.254, a link-local (cloud metadata) address (169.254.0.0/16)'],
    ['http://100.64.1.1', 'points at 100.64.1.1, a shared (CGNAT) address (100.64.0.0/10)'],
    ['http://0.0.0.0:8080', 'points at 0.0.0.0, a unspecified ("this network") address (0.0.0.0/8)'],
    ['http://[::1]:11434', 'points at [::1], a loopback address (::1/128)'],
    ['http://[fd00::5]/', 'points at [fd00::5], a private (unique local) address (fc00::/7)'],
    ['http://[fe80::1]/', 'points at [fe80::1], a link-local address (fe80::/10)'],
    // Other spellings of 127.0.0.1 and 169.254.169.254: the URL parser normalises them first.
    ['http://2130706433/', 'points at 127.0.0.1, a loopback address (127.0.0.0/8)'],
    ['http://0x7f.0.0.1/', 'points at 127.0.0.1, a loopback address (127.0.0.0/8)'],
    ['http://0177.0.0.1/', 'points at 127.0.0.1, a loopback address (127.0.0.0/8)'],
    ['http://127.1/', 'points at 127.0.0.1, a loopback address (127.0.0.0/8)'],
    ['http://0xa9fea9fe/', 'points at 169.254.169.254, a link-local (cloud metadata) address (169.254.0.0/16)'],
    ['http://[::ffff:127.0.0.1]/', 'points at [::ffff:7f00:1], a loopback address (127.0.0.0/8)'],
    ['http://[::ffff:169.254.169.254]/', 'points at [::ffff:a9fe:a9fe], a link-local (cloud metadata) address (169.254.0.0/16)'],
    ['http://localhost:11434', 'points at localhost, this machine (loopback)'],
    ['http://api.localhost/', 'points at api.localhost, this machine (loopback)'],
    ['ftp://example.com/', 'uses ftp:, not http or https'],
    ['file:///etc/passwd', 'uses file:, not http or https'],
    ['not a url', 'is not a URL'],
  ])('%s %s', (url, reason) => {
    expect(upstreamUrlRefusal(url, none)).toBe(reason);
  });

  it('passes public addresses and names (names are checked again at connect time)', () => {
    for (const url of ['https://api.openai.com/v1', 'http://93.184.216.34:8080', 'http://[2606:4700::1111]/', 'http://ollama:11434']) expect(upstreamUrlRefusal(url, none)).toBeUndefined();
  });

  it('what the policy allows passes', () => {
    const loopback = EgressPolicy.parse('127.0.0.0/8,::1');
    expect(upstreamUrlRefusal('http://127.0.0.1:11434', loopback)).toBeUndefined();
    expect(upstreamUrlRefusal('http://localhost:11434', loopback)).toBeUndefined();
    expect(upstreamUrlRefusal('http://10.0.0.1', loopback)).toMatch(/private/);
    const byName = EgressPolicy.parse('localhost');
    expect(upstreamUrlRefusal('http://localhost:11434', byName)).toBeUndefined();
    expect(upstreamUrlRefusal('http://127.0.0.1:11434', byName)).toMatch(/loopback/);
    expect(upstreamUrlRefusal('http://169.254.169.254', EgressPolicy.ALLOW_ALL_PRIVATE)).toBeUndefined();
  });
});
