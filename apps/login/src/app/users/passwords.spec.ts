import { closePasswordHashing, generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords';

describe('passwords (argon2id in worker threads)', () => {
  afterAll(closePasswordHashing);

  it('hashes to an argon2id PHC string with the OWASP parameters, and verifies it', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(verifyPassword(hash, 'correct horse battery')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'correct horse batterY')).resolves.toBe(false);
  });

  it('verifies hashes made by other argon2 libraries (here: native argon2, m=64 MiB, p=4)', async () => {
    const native = '$argon2id$v=19$m=65536,p=4,t=3$QqWAhaBdz8FjHI4UNxuIyA$I5iLkz9k3uZpVCzUva2C+s9S5JjEucCdISadWev5TM0';
    await expect(verifyPassword(native, 'x')).resolves.toBe(true);
    await expect(verifyPassword(native, 'y')).resolves.toBe(false);
  });

  it('never throws on a malformed hash or an over-long password', async () => {
    await expect(verifyPassword('not a hash', 'x')).resolves.toBe(false);
    await expect(verifyPassword('$argon2id$garbage', 'x')).resolves.toBe(false);
    await expect(verifyPassword(await hashPassword('p'), 'x'.repeat(10_000))).resolves.toBe(false);
  });

  it('hashes in parallel without mixing answers up', async () => {
    const passwords = Array.from({ length: 6 }, (_, i) => `password-number-${i}`);
    const hashes = await Promise.all(passwords.map(hashPassword));
    const checks = await Promise.all(hashes.map((h, i) => verifyPassword(h, passwords[(i + 1) % passwords.length])));
    expect(checks.every((c) => c === false)).toBe(true);
    expect(await Promise.all(hashes.map((h, i) => verifyPassword(h, passwords[i])))).toEqual(passwords.map(() => true));
  });

  it('states its rules and generates passwords that pass them', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem(generatePassword())).toBeUndefined();
  });
});
