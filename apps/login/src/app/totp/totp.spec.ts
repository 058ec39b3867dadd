import { base32Decode, base32Encode, hotp, otpauthUri, totpCode, verifyTotp } from './totp';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII "12345678901234567890"; 8-digit values.
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');
const RFC_VECTORS: readonly [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238 / RFC 4226)', () => {
  it.each(RFC_VECTORS)('matches RFC 6238 Appendix B at T=%i', (seconds, expected) => {
    expect(hotp(RFC_SECRET, Math.floor(seconds / 30), 8)).toBe(expected);
  });

  it('matches RFC 4226 Appendix D HOTP values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, i) => hotp(RFC_SECRET, i))).toEqual(expected);
  });

  it('round-trips base32 (RFC 4648 test vectors) and ignores case, spaces and padding', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Encode(Buffer.from('f'))).toBe('MY');
    expect(base32Decode('mzxw 6ytb oi======')?.toString()).toBe('foobar');
    expect(base32Decode('MZ1')).toBeUndefined();
  });

  it('accepts the current step and one either side, never a replayed or older step', () => {
    const secret = base32Encode(RFC_SECRET);
    const at = new Date(1_111_111_111_000);
    const step = Math.floor(1_111_111_111 / 30);
    expect(verifyTotp(secret, totpCode(secret, at), at, null)).toBe(step);
    expect(verifyTotp(secret, totpCode(secret, new Date(at.getTime() - 30_000)), at, null)).toBe(step - 1);
    expect(verifyTotp(secret, totpCode(secret, new Date(at.getTime() + 30_000)), at, null)).toBe(step + 1);
    expect(verifyTotp(secret, totpCode(secret, new Date(at.getTime() - 60_000)), at, null)).toBeUndefined();
    expect(verifyTotp(secret, totpCode(secret, at), at, step)).toBeUndefined();
    expect(verifyTotp(secret, totpCode(secret, new Date(at.getTime() + 30_000)), at, step)).toBe(step + 1);
    expect(verifyTotp(secret, '12345', at, null)).toBeUndefined();
    expect(verifyTotp(secret, 'abcdef', at, null)).toBeUndefined();
  });

  it('builds the otpauth URI apps scan', () => {
    expect(otpauthUri('Orcest', 'a@b.c', 'ABC')).toBe('otpauth://totp/Orcest:a%40b.c?secret=ABC&issuer=Orcest&algorithm=SHA1&digits=6&period=30');
  });
});
