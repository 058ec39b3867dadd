/**
 * Owns the running oidc-provider instance. The provider's keys are fixed at construction, so
 * when the key set in the database changes (a rotation on any replica) the holder builds a new
 * provider and swaps it in; requests in flight finish on the old one. Storage and cookie keys
 * are shared, so nothing a user holds is lost in the swap.
 */
import { Logger } from '@nestjs/common';
import type { LoginConfig } from '@orcest/config';
import type { PrismaClient } from '@orcest/db';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { providerConfiguration } from './provider-config';
import { createLocalJWKSet, type JWK } from 'jose';
import type { KeySet } from './signing-keys';
import type { SessionSighting } from '../users/user-sessions';

type OidcModule = typeof import('oidc-provider');
type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

// A real dynamic import, even in the CommonJS bundle: oidc-provider is ESM-only.
const loadOidcModule = (): Promise<OidcModule> => import('oidc-provider');

export class OidcProviderHolder {
  private readonly logger = new Logger('OidcProvider');
  private provider!: Provider;
  private handler!: NodeHandler;
  private fingerprint = '';
  private oidc!: OidcModule;
  private jwks!: ReturnType<typeof createLocalJWKSet>;

  constructor(
    private readonly config: LoginConfig,
    private readonly prisma: PrismaClient,
    private readonly cookieKeys: readonly string[],
    private readonly onGrantRevoked: (grantId: string, clientId: string | undefined, ip: string) => void,
    private readonly onSessionSeen?: (seen: SessionSighting) => void,
  ) {}

  async init(keys: KeySet): Promise<void> {
    this.oidc = await loadOidcModule();
    this.build(keys);
  }

  get current(): Provider {
    return this.provider;
  }

  get errors(): OidcModule['errors'] {
    return this.oidc.errors;
  }

  /** The Node request handler of the current provider. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    this.handler(req, res);
  }

  /** The published keys, for verifying tokens we issued (POST /api/token/verify). */
  verificationKeys(): ReturnType<typeof createLocalJWKSet> {
    return this.jwks;
  }

  /** Rebuilds the provider when the key set changed; returns whether it did. */
  refresh(keys: KeySet): boolean {
    if (keys.fingerprint === this.fingerprint) return false;
    this.build(keys);
    this.logger.log(`signing keys changed; now signing with ${keys.keys[0]?.kid}`);
    return true;
  }

  private build(keys: KeySet): void {
    const Provider = this.oidc.default;
    const provider = new Provider(
      this.config.issuer,
      providerConfiguration({ config: this.config, prisma: this.prisma, keys: keys.keys, cookieKeys: this.cookieKeys, errors: this.oidc.errors, onSessionSeen: this.onSessionSeen }),
    );
    // Koa reads X-Forwarded-Proto (https cookies) and X-Forwarded-For (the audit's IP) only behind a trusted proxy.
    const trust = this.config.server.trustProxy;
    provider.proxy = trust !== false;
    if (typeof trust === 'number') provider.maxIpsCount = trust;
    provider.on('server_error', (_ctx, error) => this.logger.error(`oidc server_error: ${error.stack ?? error.message}`));
    provider.on('grant.revoked', (ctx, grantId) => this.onGrantRevoked(grantId, ctx.oidc?.client?.clientId, ctx.ip));
    this.provider = provider;
    this.handler = provider.callback();
    this.fingerprint = keys.fingerprint;
    this.jwks = createLocalJWKSet({ keys: keys.keys.map(({ kty, n, e, kid, alg, use }): JWK => ({ kty, n, e, kid, alg, use })) });
  }
}
