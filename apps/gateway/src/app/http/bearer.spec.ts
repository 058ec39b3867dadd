import { ConnectionDigests, tokenDigest } from './bearer';

describe('ConnectionDigests', () => {
  it('hashes a connection\'s token once, and again whenever the connection presents another', () => {
    const digests = new ConnectionDigests();
    const connection = {};
    const first = digests.of('key-a', connection);
    expect(first).toEqual(tokenDigest('key-a'));
    expect(digests.of('key-a', connection)).toBe(first);
    const other = digests.of('key-b', connection);
    expect(other).toEqual(tokenDigest('key-b'));
    expect(digests.of('key-a', connection)).not.toBe(first);
    expect(digests.of('key-a', connection)).toEqual(first);
  });

  it('keeps connections apart, and hashes every time without one', () => {
    const digests = new ConnectionDigests();
    const [one, two] = [{}, {}];
    const onOne = digests.of('key-a', one);
    expect(digests.of('key-a', two)).not.toBe(onOne);
    expect(digests.of('key-a', two)).toEqual(onOne);
    expect(digests.of('key-a', undefined)).not.toBe(digests.of('key-a', undefined));
  });
});
