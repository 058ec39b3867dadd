import { addressGroup } from './address-group';

describe('addressGroup (what the lockout counts a client IP as)', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:cb00:7107', '203.0.113.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0:0:0:9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::203.0.113.7', '64:ff9b:0:0::/64'],
  ])('%s → %s', (ip, group) => expect(addressGroup(ip)).toBe(group));

  it('two addresses of one /64 are one group, of two /64s two', () => {
    expect(addressGroup('2001:db8:1:2::a')).toBe(addressGroup('2001:db8:1:2:aaaa::b'));
    expect(addressGroup('2001:db8:1:2::a')).not.toBe(addressGroup('2001:db8:1:3::a'));
  });

  it('keeps a value that is no address, capped and storable', () => {
    expect(addressGroup('unknown')).toBe('unknown');
    const long = addressGroup(`x\u0000${'y'.repeat(5000)}`);
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).not.toContain('\u0000');
  });
});
