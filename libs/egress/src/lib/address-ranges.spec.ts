import { describeAddress, specialRangeOf, type SpecialRange } from './address-ranges';

describe('specialRangeOf: which addresses are not public', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.255', 'shared (CGNAT)'],
    ['0.0.0.0', 'unspecified ("this network")'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.255', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fd00::1', 'private (unique local)'],
    ['fd00:ec2::254', 'cloud metadata (AWS IPv6)'],
    ['fc00::1', 'private (unique local)'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    // IPv6 forms carrying an IPv4 address are judged by it.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:a9fe:a9fe]', 'link-local (cloud metadata)'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:0:a00:1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local (cloud metadata)'],
    ['2002:c0a8:0101::1', 'private'],
    ['not-an-ip', 'not an IP address'],
  ])('%s is %s', (address, name) => {
    expect(specialRangeOf(address)?.name).toBe(name);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '169.255.0.1', '11.0.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2001:4860:4860::8888', '192.0.3.1', '203.0.114.1', '2001:db9::1'])(
    '%s is public',
    (address) => {
      expect(specialRangeOf(address)).toBeUndefined();
    },
  );

  it('names the range it matched', () => {
    expect(specialRangeOf('172.20.1.1')).toEqual({ name: 'private', cidr: '172.16.0.0/12' });
    expect(specialRangeOf('::ffff:169.254.169.254')).toEqual({ name: 'link-local (cloud metadata)', cidr: '169.254.0.0/16' });
  });
});

describe('describeAddress: the one wording of a refused address', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1, a loopback address (127.0.0.0/8)'],
    ['169.254.169.254', '169.254.169.254, a link-local (cloud metadata) address (169.254.0.0/16)'],
    ['fd00::9', 'fd00::9, a private (unique local) address (fc00::/7)'],
    // The article follows the name: never "a unspecified".
    ['0.0.0.0', '0.0.0.0, an unspecified ("this network") address (0.0.0.0/8)'],
    ['::', '::, an unspecified address (::/128)'],
    ['192.0.0.8', '192.0.0.8, an IETF protocol assignments address (192.0.0.0/24)'],
  ])('%s', (address, wording) => {
    expect(describeAddress(address, specialRangeOf(address) as SpecialRange)).toBe(wording);
  });
});
