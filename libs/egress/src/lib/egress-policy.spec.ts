import { EgressPolicy, EgressPolicyError } from './egress-policy';
import { urlRefusal } from './url-refusal';

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
    expect(urlRefusal('http://localhost:8090/oauth2/jwks', platform)).toBeUndefined();
    expect(urlRefusal('http://169.254.169.254/latest/meta-data', platform)).toMatch(/cloud metadata/);
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
