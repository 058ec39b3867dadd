import { FakeTokenIssuer, freePort } from '@orcest/testing';
import { AccessTokenVerifier, InsufficientRoleError, InvalidAccessTokenError, looksLikeJwt, TokenVerificationUnavailableError } from './access-token';

describe('AccessTokenVerifier (against a JWKS served over HTTP)', () => {
  let issuer: FakeTokenIssuer;
  beforeAll(async () => {
    issuer = await FakeTokenIssuer.start('http://gateway.test');
  });
  afterAll(() => issuer.close());

  const verifier = (options: Partial<ConstructorParameters<typeof AccessTokenVerifier>[0]> = {}): AccessTokenVerifier =>
    new AccessTokenVerifier({ issuer: issuer.url, audience: 'http://gateway.test', service: 'rm', ...options });

  it('accepts a token of ours whose role grants the service, and remembers it', async () => {
    const v = verifier();
    const token = await issuer.sign({ role: 'researcher', sub: 'u-7', email: 'r@test.local' });
    const before = issuer.jwksFetches;
    expect(await v.verify(token)).toMatchObject({ sub: 'u-7', role: 'researcher', email: 'r@test.local', clientId: 'rainymodel' });
    await v.verify(token);
    await v.verify(token);
    expect(issuer.jwksFetches - before).toBe(1);
  });

  it('refuses a role without the service with InsufficientRoleError (also from the cache)', async () => {
    const v = verifier();
    const token = await issuer.sign({ role: 'viewer' });
    await expect(v.verify(token)).rejects.toBeInstanceOf(InsufficientRoleError);
    await expect(v.verify(token)).rejects.toBeInstanceOf(InsufficientRoleError);
  });

  it.each([
    ['expired', { expiresIn: -60 }, 'expired'],
    ['for another audience', { audience: 'http://other.test' }, 'aud'],
    ['an ID token (typ JWT)', { typ: 'JWT' }, 'typ'],
    ['signed by an unpublished key', { unpublishedKey: true }, 'not signed by a key'],
    ['with an unknown role', { role: 'root' }, 'role'],
  ])('refuses a token %s', async (_what, claims, message) => {
    await expect(verifier().verify(await issuer.sign(claims))).rejects.toThrow(InvalidAccessTokenError);
    await expect(verifier().verify(await issuer.sign(claims))).rejects.toThrow(message);
  });

  it('an expired token leaves the cache', async () => {
    let now = Date.now();
    const v = verifier({ now: () => now });
    const token = await issuer.sign({ expiresIn: 5 });
    await v.verify(token);
    now += 10_000;
    await expect(v.verify(token)).rejects.toThrow('expired');
  });

  it('after a key rotation, a token with the new kid is accepted (one refetch); forgeries do not cause a fetch storm', async () => {
    const v = verifier({ jwksCooldownMs: 0 });
    await v.verify(await issuer.sign());
    await issuer.rotateKey();
    const fresh = await issuer.sign();
    expect((await v.verify(fresh)).role).toBe('developer');

    const throttled = verifier({ jwksCooldownMs: 60_000 });
    await throttled.verify(fresh);
    const before = issuer.jwksFetches;
    for (let i = 0; i < 5; i++) await expect(throttled.verify(await issuer.sign({ unpublishedKey: true }))).rejects.toThrow(InvalidAccessTokenError);
    expect(issuer.jwksFetches - before).toBeLessThanOrEqual(1);
  });

  it('an unreachable login is a clear refusal, not a crash', async () => {
    const closed = await freePort();
    const v = new AccessTokenVerifier({ issuer: issuer.url, audience: 'http://gateway.test', service: 'rm', jwksUrl: `http://127.0.0.1:${closed}/oauth2/jwks` });
    await expect(v.verify(await issuer.sign())).rejects.toBeInstanceOf(TokenVerificationUnavailableError);
  });

  it('tells JWTs from plain keys', () => {
    expect(looksLikeJwt('sk-plain-master-key')).toBe(false);
    expect(looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe(true);
    expect(looksLikeJwt('eyJ.two-parts')).toBe(false);
  });
});
