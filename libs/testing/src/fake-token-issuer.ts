/**
 * A stand-in for Login SSO's token side: a real HTTP server on 127.0.0.1 publishing a JWKS at
 * `/oauth2/jwks`, and a signer for access tokens in Login's shape (RS256, `typ: at+jwt`).
 * Tests of token consumers (the gateway) use it to mint valid, expired, foreign-key and
 * wrong-audience tokens, and to rotate keys.
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface IssuerKey {
  readonly kid: string;
  readonly privateKey: PrivateKey;
  readonly publicJwk: JWK;
}

export interface TokenClaims {
  readonly sub?: string;
  readonly role?: string;
  readonly email?: string;
  readonly audience?: string;
  /** Seconds from now; negative for an expired token. */
  readonly expiresIn?: number;
  readonly typ?: string;
  /** Sign with a key that is not published (a forgery). */
  readonly unpublishedKey?: boolean;
}

export class FakeTokenIssuer {
  /** How many times the JWKS was fetched. */
  jwksFetches = 0;
  private published: IssuerKey[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly audience: string,
  ) {}

  static async start(audience = 'http://localhost:8080'): Promise<FakeTokenIssuer> {
    const self: { issuer?: FakeTokenIssuer } = {};
    const server = createServer((req, res) => {
      const issuer = self.issuer;
      if (req.url !== '/oauth2/jwks' || !issuer) {
        res.writeHead(404).end();
        return;
      }
      issuer.jwksFetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: issuer.published.map((k) => k.publicJwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const issuer = new FakeTokenIssuer(server, `http://127.0.0.1:${port}`, audience);
    self.issuer = issuer;
    await issuer.rotateKey();
    return issuer;
  }

  /** Publishes a new key and signs with it from now on; older keys stay published. */
  async rotateKey(): Promise<string> {
    const key = await newKey();
    this.published = [key, ...this.published];
    return key.kid;
  }

  async sign(claims: TokenClaims = {}): Promise<string> {
    const key = claims.unpublishedKey ? await newKey() : this.published[0];
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ role: claims.role ?? 'developer', email: claims.email ?? 'dev@test.local', client_id: 'rainymodel', scope: 'openid' })
      .setProtectedHeader({ alg: 'RS256', typ: claims.typ ?? 'at+jwt', kid: key.kid })
      .setIssuer(this.url)
      .setSubject(claims.sub ?? 'user-1')
      .setAudience(claims.audience ?? this.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + (claims.expiresIn ?? 600))
      .sign(key.privateKey);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let keyCounter = 0;

async function newKey(): Promise<IssuerKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = `test-key-${++keyCounter}`;
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}
