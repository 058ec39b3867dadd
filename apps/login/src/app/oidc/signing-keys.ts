/**
 * RS256 signing keys shared by every replica. With RSA_PRIVATE_KEY set, that key signs and
 * nothing is stored. Otherwise the keys live in `signing_keys`: the first replica to start
 * generates one (under an advisory lock, so two replicas starting together agree on it), and a
 * rotation adds a new one while the older ones stay published until their tokens expire.
 *
 * Which key signs: the newest key that every replica has had time to publish (older than the
 * key refresh interval), so a verifier that fetches the JWKS from any replica finds the kid.
 * A brand-new deployment has only one key, which signs at once.
 */
import { generateKeyPair, exportJWK, importPKCS8, calculateJwkThumbprint, type JWK } from 'jose';
import type { Prisma, PrismaClient, SigningKey } from '@orcest/db';

const GENERATE_LOCK_KEY = 72707370;

export interface PrivateJwk extends JWK {
  readonly kid: string;
  readonly alg: 'RS256';
  readonly use: 'sig';
}

export interface KeySet {
  /** Signing key first: oidc-provider signs with the first key that fits the algorithm. */
  readonly keys: readonly PrivateJwk[];
  /** Changes whenever the published set or the signer changes. */
  readonly fingerprint: string;
}

async function toPrivateJwk(key: Parameters<typeof exportJWK>[0]): Promise<PrivateJwk> {
  const jwk = await exportJWK(key);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg: 'RS256', use: 'sig' };
}

export async function keySetFromPem(privateKeyPem: string): Promise<KeySet> {
  const key = await importPKCS8(privateKeyPem.replace(/\\n/g, '\n'), 'RS256', { extractable: true });
  const jwk = await toPrivateJwk(key);
  return { keys: [jwk], fingerprint: `pem:${jwk.kid}` };
}

function publicHalf(jwk: PrivateJwk): JWK {
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: jwk.kid, alg: jwk.alg, use: jwk.use };
}

async function newKeyRow(): Promise<Prisma.SigningKeyCreateInput> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await toPrivateJwk(privateKey);
  return { kid: jwk.kid, privateJwk: jwk as unknown as Prisma.InputJsonValue, publicJwk: publicHalf(jwk) as unknown as Prisma.InputJsonValue };
}

export class SigningKeyStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly publishDelayMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates the first key if there is none; safe to call from every replica at once. */
  async ensureKey(): Promise<void> {
    if ((await this.prisma.signingKey.count({ where: { active: true } })) > 0) return;
    const row = await newKeyRow();
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GENERATE_LOCK_KEY})`;
      if ((await tx.signingKey.count({ where: { active: true } })) === 0) await tx.signingKey.create({ data: row });
    });
  }

  /** Adds a key; it starts signing once every replica has had time to publish it. */
  async rotate(): Promise<SigningKey> {
    return this.prisma.signingKey.create({ data: await newKeyRow() });
  }

  /** Stops publishing a key (its tokens no longer verify). The signer cannot be deactivated. */
  async deactivate(kid: string): Promise<boolean> {
    // A kid is a JWK thumbprint (base64url); anything else from the URL is no key of ours.
    if (!/^[\w-]{1,128}$/.test(kid)) return false;
    const set = await this.load();
    if (set.keys[0]?.kid === kid) return false;
    const { count } = await this.prisma.signingKey.updateMany({ where: { kid, active: true }, data: { active: false, retiredAt: new Date() } });
    return count > 0;
  }

  async list(): Promise<SigningKey[]> {
    return this.prisma.signingKey.findMany({ orderBy: { createdAt: 'desc' } });
  }

  async load(): Promise<KeySet> {
    const rows = await this.prisma.signingKey.findMany({ where: { active: true }, orderBy: { createdAt: 'desc' } });
    if (rows.length === 0) throw new Error('no active signing key: ensureKey() must run first');
    const cutoff = this.now() - this.publishDelayMs;
    const signer = rows.find((r) => r.createdAt.getTime() <= cutoff) ?? rows[rows.length - 1];
    const ordered = [signer, ...rows.filter((r) => r !== signer)];
    return {
      keys: ordered.map((r) => r.privateJwk as unknown as PrivateJwk),
      fingerprint: ordered.map((r) => r.kid).join(','),
    };
  }
}
