import { createServer, type Server } from 'node:http';
import { FakeDnsServer, FakeTokenIssuer, freePort } from '@orcest/testing';
import { EgressPolicy } from '@orcest/egress';
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

describe('AccessTokenVerifier: the JWKS fetch goes through the egress guard (jwks-fetch.ts)', () => {
  let issuer: FakeTokenIssuer;
  let dns: FakeDnsServer;
  let redirector: Server;
  let redirectorPort: number;
  beforeAll(async () => {
    [issuer, dns] = await Promise.all([FakeTokenIssuer.start('http://gateway.test'), FakeDnsServer.start()]);
    // A login (or whatever answers on its name) that sends the key fetch elsewhere.
    redirector = createServer((_req, res) => res.writeHead(302, { location: `${issuer.url}/oauth2/jwks` }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    redirectorPort = (redirector.address() as { port: number }).port;
  });
  afterAll(async () => {
    await Promise.all([issuer.close(), dns.close(), new Promise((resolve) => redirector.close(resolve))]);
  });

  const issuerPort = (): string => new URL(issuer.url).port;
  const verifierAt = (jwksUrl: string): AccessTokenVerifier =>
    new AccessTokenVerifier({ issuer: issuer.url, audience: 'http://gateway.test', service: 'rm', jwksUrl, resolveHost: dns.resolveHost });

  it('a login on a private network or this machine is reached by name (compose: http://login:8090), no setting needed', async () => {
    dns.set('login.test', 'A', ['127.0.0.1']);
    const v = verifierAt(`http://login.test:${issuerPort()}/oauth2/jwks`);
    expect((await v.verify(await issuer.sign({ sub: 'u-local' }))).sub).toBe('u-local');
  });

  it('a DNS answer outside loopback and private networks is refused before connecting: no key fetch, 503 not 401', async () => {
    // 0.0.0.0 stands in for 169.254.169.254 (same policy verdict, see egress-policy.spec.ts): on
    // Linux a connection to it reaches this machine's listeners, so without the guard the key
    // fetch below would succeed, and the test never sends a packet off 127.0.0.1.
    dns.set('rebound-login.test', 'A', ['0.0.0.0']);
    const before = issuer.jwksFetches;
    const v = verifierAt(`http://rebound-login.test:${issuerPort()}/oauth2/jwks`);
    const refused = v.verify(await issuer.sign());
    await expect(refused).rejects.toBeInstanceOf(TokenVerificationUnavailableError);
    await expect(refused).rejects.toThrow('rebound-login.test resolves to 0.0.0.0, an unspecified ("this network") address (0.0.0.0/8), which the SSO key fetch may not reach');
    expect(issuer.jwksFetches).toBe(before);
  });

  it('a range refused by default is reached once the operator allows it (RAINYMODEL_SSO_ALLOW_PRIVATE: a tailnet login)', async () => {
    // The same stand-in as above: 0.0.0.0 is refused like CGNAT's 100.64.0.0/10 and, allowed, reaches this machine.
    dns.set('tailnet-login.test', 'A', ['0.0.0.0']);
    const egress = EgressPolicy.platformNetworkAnd(EgressPolicy.parse('0.0.0.0/8'));
    const v = new AccessTokenVerifier({ issuer: issuer.url, audience: 'http://gateway.test', service: 'rm', jwksUrl: `http://tailnet-login.test:${issuerPort()}/oauth2/jwks`, resolveHost: dns.resolveHost, egress });
    expect((await v.verify(await issuer.sign({ sub: 'u-tailnet' }))).sub).toBe('u-tailnet');
    // Widening adds the listed range only: link-local stays refused.
    expect(egress.refusalOf('169.254.169.254')?.name).toBe('link-local (cloud metadata)');
  });

  it('a redirect from the JWKS URL is not followed: a failed fetch (503), the target never asked', async () => {
    const before = issuer.jwksFetches;
    const redirected = verifierAt(`http://127.0.0.1:${redirectorPort}/oauth2/jwks`).verify(await issuer.sign());
    await expect(redirected).rejects.toBeInstanceOf(TokenVerificationUnavailableError);
    await expect(redirected).rejects.toThrow(`answered HTTP 302 (a redirect to ${issuer.url}/oauth2/jwks, not followed)`);
    expect(issuer.jwksFetches).toBe(before);
  });
});
