/**
 * Login SSO's whole configuration, from the environment, validated once at start into one
 * frozen object. Nothing else in the login app reads `process.env` (the database URL is
 * resolved by libs/db from the same environment).
 */
import { z } from 'zod';
import { bindHost } from '../bind-host';
import { httpUrl, tcpPort } from '../env-values';
import { parseDatabaseConfig, type DatabaseConfig } from '../database-settings';
import { trustProxy } from '../trust-proxy';
import { ConfigError } from '../config-error';
import type { Env } from '../expand-env';
import { configErrorFromIssues } from '../zod-issues';
import { setEnvVars } from '../set-env-vars';

/** The registered relying parties of seed 000 §5.2, plus the status admin. */
export const LOGIN_CLIENTS = [
  { clientId: 'rainymodel', name: 'RainyModel', service: 'rm', defaultRedirect: 'https://rm.orcest.ai/auth/callback' },
  { clientId: 'lamino', name: 'Lamino', service: 'llm', defaultRedirect: 'https://llm.orcest.ai/auth/callback' },
  { clientId: 'maestrist', name: 'Maestrist', service: 'agent', defaultRedirect: 'https://agent.orcest.ai/auth/callback' },
  { clientId: 'orcide', name: 'Orcide', service: 'ide', defaultRedirect: 'https://ide.orcest.ai/auth/callback' },
  { clientId: 'orcest', name: 'Orcest AI', service: 'orcest', defaultRedirect: 'https://orcest.ai/auth/callback' },
  { clientId: 'status', name: 'Orcest Status', service: 'admin', defaultRedirect: 'https://status.orcest.ai/auth/callback' },
] as const;

export interface LoginClientConfig {
  readonly clientId: string;
  readonly name: string;
  readonly service: string;
  /** Undefined: no secret configured, so the client is registered disabled. */
  readonly secret?: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  /** The env var the secret comes from, shown in the admin panel. */
  readonly secretEnvVar: string;
}

export interface LoginConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly production: boolean;
    /** Fastify's trustProxy: false, a hop count, or the addresses/CIDRs of trusted proxies. */
    readonly trustProxy: false | number | string;
    readonly maxBodyBytes: number;
  };
  /** The OIDC issuer: every URL the provider prints starts here. */
  readonly issuer: string;
  /** DATABASE_URL, or the embedded server's folder and port (libs/db resolves it). */
  readonly database: DatabaseConfig;
  /** The audience of JWT access tokens for the gateway (its resource indicator). */
  readonly gatewayAudience: string;
  readonly admin: { readonly email?: string; readonly password?: string };
  /** PEM key pair that overrides the keys stored in the database. */
  readonly rsaKeys?: { readonly privateKeyPem: string; readonly publicKeyPem?: string };
  readonly clients: readonly LoginClientConfig[];
  /** Origins allowed to call the provider's CORS-enabled endpoints; `*.` matches any subdomain. */
  readonly corsOrigins: readonly string[];
  readonly ttl: {
    readonly accessTokenSeconds: number;
    readonly idTokenSeconds: number;
    readonly refreshTokenSeconds: number;
    readonly sessionSeconds: number;
  };
  readonly lockout: {
    /** Failures against one account from one IP. */
    readonly accountMaxFailures: number;
    /** Failures against one account from every IP together. */
    readonly accountAllIpsMaxFailures: number;
    readonly ipMaxFailures: number;
    readonly lockSeconds: number;
  };
  readonly audit: {
    /** Audit rows older than this are deleted (by every replica, every few minutes). */
    readonly retentionDays: number;
  };
  /** How often each replica looks for signing keys added by another replica. */
  readonly keyRefreshSeconds: number;
}

const positiveInt = z.coerce.number().int().min(1);

/** Login's environment (exported for the generated reference, docs/configuration.md). */
export const loginEnvSchema = z.object({
  PORT: tcpPort(8090),
  HOST: bindHost,
  NODE_ENV: z.string().default('development'),
  SSO_BASE_URL: httpUrl.optional(),
  SSO_TRUST_PROXY: trustProxy,
  SSO_ADMIN_EMAIL: z.email().optional(),
  SSO_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  RSA_PRIVATE_KEY: z.string().optional(),
  RSA_PUBLIC_KEY: z.string().optional(),
  RAINYMODEL_AUDIENCE: httpUrl.default('http://localhost:8080'),
  SSO_CORS_ORIGINS: z.string().default('https://orcest.ai,https://*.orcest.ai'),
  SSO_ACCESS_TOKEN_TTL: positiveInt.default(600),
  SSO_ID_TOKEN_TTL: positiveInt.default(3600),
  SSO_REFRESH_TOKEN_TTL: positiveInt.default(14 * 24 * 3600),
  SSO_SESSION_TTL: positiveInt.default(14 * 24 * 3600),
  SSO_LOCKOUT_ACCOUNT_FAILURES: positiveInt.default(5),
  SSO_LOCKOUT_ACCOUNT_ALL_IPS_FAILURES: positiveInt.default(50),
  SSO_LOCKOUT_IP_FAILURES: positiveInt.default(20),
  SSO_LOCKOUT_SECONDS: positiveInt.default(15 * 60),
  SSO_KEY_REFRESH_SECONDS: positiveInt.default(60),
  SSO_AUDIT_RETENTION_DAYS: positiveInt.max(36500).default(180),
  SSO_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
});

function csv(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter((v) => v.length > 0);
}

function clientsFrom(env: Record<string, string>): LoginClientConfig[] {
  return LOGIN_CLIENTS.map((c) => {
    const prefix = `OIDC_${c.clientId.toUpperCase()}`;
    const redirectUris = csv(env[`${prefix}_REDIRECT_URIS`]);
    const uris = redirectUris.length > 0 ? redirectUris : [c.defaultRedirect];
    for (const uri of [...uris, ...csv(env[`${prefix}_POST_LOGOUT_REDIRECT_URIS`])]) {
      if (!URL.canParse(uri)) throw new ConfigError(`invalid configuration:\n  environment: ${prefix}_REDIRECT_URIS: not a URL: ${uri}`);
    }
    const postLogout = csv(env[`${prefix}_POST_LOGOUT_REDIRECT_URIS`]);
    return {
      clientId: c.clientId,
      name: c.name,
      service: c.service,
      secret: env[`${prefix}_SECRET`],
      secretEnvVar: `${prefix}_SECRET`,
      redirectUris: uris,
      // By default an app may return to its own origin after logout.
      postLogoutRedirectUris: postLogout.length > 0 ? postLogout : uris.map((u) => new URL(u).origin + '/'),
    };
  });
}

export function loadLoginConfig(env: Env): LoginConfig {
  const vars = setEnvVars(env);
  const parsed = loginEnvSchema.safeParse(vars);
  if (!parsed.success) throw configErrorFromIssues(parsed.error.issues, () => 'environment');
  const v = parsed.data;
  if (v.SSO_ADMIN_PASSWORD && !v.SSO_ADMIN_EMAIL) {
    throw new ConfigError('invalid configuration:\n  environment: SSO_ADMIN_PASSWORD is set but SSO_ADMIN_EMAIL is not');
  }
  if (v.RSA_PUBLIC_KEY && !v.RSA_PRIVATE_KEY) {
    throw new ConfigError('invalid configuration:\n  environment: RSA_PUBLIC_KEY is set but RSA_PRIVATE_KEY is not');
  }
  return Object.freeze({
    database: parseDatabaseConfig(env),
    server: Object.freeze({
      host: v.HOST,
      port: v.PORT,
      production: v.NODE_ENV === 'production',
      trustProxy: v.SSO_TRUST_PROXY,
      maxBodyBytes: v.SSO_MAX_BODY_BYTES,
    }),
    issuer: v.SSO_BASE_URL ?? `http://localhost:${v.PORT}`,
    gatewayAudience: v.RAINYMODEL_AUDIENCE,
    admin: Object.freeze({ email: v.SSO_ADMIN_EMAIL, password: v.SSO_ADMIN_PASSWORD }),
    rsaKeys: v.RSA_PRIVATE_KEY ? Object.freeze({ privateKeyPem: v.RSA_PRIVATE_KEY, publicKeyPem: v.RSA_PUBLIC_KEY }) : undefined,
    clients: Object.freeze(clientsFrom(vars).map((c) => Object.freeze(c))),
    corsOrigins: Object.freeze(csv(v.SSO_CORS_ORIGINS)),
    ttl: Object.freeze({
      accessTokenSeconds: v.SSO_ACCESS_TOKEN_TTL,
      idTokenSeconds: v.SSO_ID_TOKEN_TTL,
      refreshTokenSeconds: v.SSO_REFRESH_TOKEN_TTL,
      sessionSeconds: v.SSO_SESSION_TTL,
    }),
    lockout: Object.freeze({
      accountMaxFailures: v.SSO_LOCKOUT_ACCOUNT_FAILURES,
      accountAllIpsMaxFailures: v.SSO_LOCKOUT_ACCOUNT_ALL_IPS_FAILURES,
      ipMaxFailures: v.SSO_LOCKOUT_IP_FAILURES,
      lockSeconds: v.SSO_LOCKOUT_SECONDS,
    }),
    audit: Object.freeze({ retentionDays: v.SSO_AUDIT_RETENTION_DAYS }),
    keyRefreshSeconds: v.SSO_KEY_REFRESH_SECONDS,
  });
}
