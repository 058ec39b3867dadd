/**
 * Everything the login app builds once at start, handed to Nest as one value. Building it
 * touches the database: clients are registered, the signing key and the cookie keys are
 * created if missing, and the first admin is made if there is none.
 */
import { Logger } from '@nestjs/common';
import type { LoginConfig } from '@orcest/config';
import type { PrismaClient } from '@orcest/db';
import { AuditLog } from './audit/audit-log';
import { Csrf } from './http/csrf';
import { ClientAdmin, registerClients } from './oidc/client-registry';
import { OidcProviderHolder } from './oidc/oidc-provider-holder';
import { deleteExpiredOidcRows } from './oidc/prisma-oidc-adapter';
import { cookieKeys } from './oidc/shared-secrets';
import { keySetFromPem, SigningKeyStore, type KeySet } from './oidc/signing-keys';
import { ApiKeys } from './users/api-keys';
import { holdPasswordHashing } from './users/passwords';
import { bootstrapAdmin, type BootstrappedAdmin } from './users/bootstrap-admin';
import { LoginThrottle } from './users/login-throttle';
import { SignIn } from './users/sign-in';
import { UserDirectory } from './users/user-directory';
import { OwnPassword } from './users/own-password';
import { UserSessions } from './users/user-sessions';
import { UsageReport } from './usage/usage-report';
import { TwoFactor } from './totp/two-factor';

export interface LoginContextOptions {
  /** The time as the account features see it (key expiry, sessions, TOTP); tests move it. */
  readonly clock?: () => Date;
}

const CLEANUP_INTERVAL_MS = 10 * 60 * 1000;

export class LoginContext {
  private readonly logger = new Logger('LoginSSO');
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly releasePasswordHashing = holdPasswordHashing();

  private constructor(
    readonly config: LoginConfig,
    readonly prisma: PrismaClient,
    readonly audit: AuditLog,
    readonly users: UserDirectory,
    readonly signIn: SignIn,
    readonly throttle: LoginThrottle,
    readonly keys: SigningKeyStore,
    readonly clients: ClientAdmin,
    readonly oidc: OidcProviderHolder,
    readonly csrf: Csrf,
    readonly apiKeys: ApiKeys,
    readonly sessions: UserSessions,
    readonly ownPassword: OwnPassword,
    readonly usage: UsageReport,
    readonly twoFactor: TwoFactor,
    readonly clock: () => Date,
    /** The admin created at this start, if any (main prints it). */
    readonly bootstrappedAdmin: BootstrappedAdmin | undefined,
  ) {}

  static async create(config: LoginConfig, prisma: PrismaClient, options: LoginContextOptions = {}): Promise<LoginContext> {
    const clock = options.clock ?? (() => new Date());
    const audit = new AuditLog(prisma, config.audit.retentionDays);
    const keys = new SigningKeyStore(prisma, config.keyRefreshSeconds * 1000 * 2);
    const logger = new Logger('LoginSSO');
    await registerClients(prisma, config, (m) => logger.warn(m));
    const admin = await bootstrapAdmin(prisma, config, audit);
    let keySet: KeySet;
    if (config.rsaKeys) keySet = await keySetFromPem(config.rsaKeys.privateKeyPem);
    else {
      await keys.ensureKey();
      keySet = await keys.load();
    }
    const sessions = new UserSessions(prisma, audit, clock);
    const holder = new OidcProviderHolder(
      config,
      prisma,
      await cookieKeys(prisma),
      (grantId, clientId, ip) => {
        void audit.record({ action: 'token.revoked', subject: grantId, ip, detail: { clientId } }).catch(() => undefined);
      },
      // A sighting must never fail or delay the authorization it comes from.
      (seen) => void sessions.record(seen).catch((error: unknown) => logger.warn(`session sighting not recorded: ${error instanceof Error ? error.message : String(error)}`)),
    );
    await holder.init(keySet);
    const throttle = new LoginThrottle(prisma, config.lockout);
    const signIn = new SignIn(prisma, throttle, audit);
    const context = new LoginContext(
      config,
      prisma,
      audit,
      new UserDirectory(prisma, audit, throttle),
      signIn,
      throttle,
      keys,
      new ClientAdmin(prisma, config, audit),
      holder,
      new Csrf(config.issuer.startsWith('https://')),
      new ApiKeys(prisma, audit, clock),
      sessions,
      new OwnPassword(prisma, throttle, audit, clock),
      new UsageReport(prisma),
      new TwoFactor(prisma, throttle, audit, clock),
      clock,
      admin,
    );
    context.startBackgroundJobs();
    return context;
  }

  /** Picks up a key rotation done here or on another replica. */
  async refreshKeys(): Promise<boolean> {
    if (this.config.rsaKeys) return false;
    return this.oidc.refresh(await this.keys.load());
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    void this.releasePasswordHashing();
  }

  private startBackgroundJobs(): void {
    const every = (ms: number, job: () => Promise<unknown>, what: string): void => {
      const timer = setInterval(() => {
        job().catch((error: unknown) => this.logger.warn(`${what} failed: ${error instanceof Error ? error.message : String(error)}`));
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.config.keyRefreshSeconds * 1000, () => this.refreshKeys(), 'signing key refresh');
    every(CLEANUP_INTERVAL_MS, () => deleteExpiredOidcRows(this.prisma), 'expired OIDC row cleanup');
    every(CLEANUP_INTERVAL_MS, () => this.throttle.prune(), 'lockout counter cleanup');
    every(CLEANUP_INTERVAL_MS, () => this.audit.prune(), 'audit log retention');
  }
}
