/**
 * Starts the real login app (the same `createLoginApp` as `main.ts`) on 127.0.0.1 against a
 * real PostgreSQL database, for the end-to-end tests. Several instances may share one
 * database (replicas); the suite owns the database and drops it at the end.
 */
import { freePort } from '@orcest/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadLoginConfig, type Env, type LoginConfig } from '@orcest/config';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import type { ClientLimits } from '@orcest/http';
import { createLoginApp } from '../app/create-login-app';
import { LoginContext } from '../app/login-context';

export const TEST_ADMIN = { email: 'admin@test.local', password: 'admin-password-123' } as const;
export const TEST_REDIRECT = 'http://localhost:3999/auth/callback';
export const TEST_SECRETS = {
  rainymodel: 'rainymodel-secret-for-tests',
  lamino: 'lamino-secret-for-tests',
  orcide: 'orcide-secret-for-tests',
  maestrist: 'maestrist-secret-for-tests',
  status: 'status-secret-for-tests',
} as const;

export interface RunningLogin {
  readonly url: string;
  readonly config: LoginConfig;
  readonly context: LoginContext;
  readonly prisma: PrismaClient;
  readonly app: NestFastifyApplication;
  close(): Promise<void>;
}

/** The env a test instance runs with: every seed client but `orcest` has a secret and the test redirect URI. */
export function testEnv(port: number, extra: Env = {}): Env {
  const env: Record<string, string> = {
    PORT: String(port),
    SSO_BASE_URL: `http://127.0.0.1:${port}`,
    SSO_ADMIN_EMAIL: TEST_ADMIN.email,
    SSO_ADMIN_PASSWORD: TEST_ADMIN.password,
    RAINYMODEL_AUDIENCE: 'http://localhost:8080',
  };
  for (const [client, secret] of Object.entries(TEST_SECRETS)) {
    env[`OIDC_${client.toUpperCase()}_SECRET`] = secret;
    env[`OIDC_${client.toUpperCase()}_REDIRECT_URIS`] = TEST_REDIRECT;
    env[`OIDC_${client.toUpperCase()}_POST_LOGOUT_REDIRECT_URIS`] = 'http://localhost:3999/';
  }
  return { ...env, ...extra };
}

export interface StartLoginOptions {
  readonly databaseUrl: string;
  readonly env?: Env;
  /** Reuse an issuer (a second replica behind the "same" URL): its port is taken from here. */
  readonly port?: number;
  readonly clientLimits?: Partial<ClientLimits>;
  /** The clock of the account features (key expiry, TOTP, sessions). */
  readonly clock?: () => Date;
}

export async function startLogin(options: StartLoginOptions): Promise<RunningLogin> {
  const port = options.port ?? (await freePort());
  const config = loadLoginConfig(testEnv(port, options.env));
  const prisma = createPrismaClient(options.databaseUrl, { poolSize: 4 });
  const context = await LoginContext.create(config, prisma, { clock: options.clock });
  const app = await createLoginApp(context, { logger: false, clientLimits: options.clientLimits });
  await app.listen(port, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    context,
    prisma,
    app,
    close: async () => {
      await app.close();
      await prisma.$disconnect();
    },
  };
}

/** An HTTP Basic header for a client id and secret, as the token endpoint and /api expect. */
export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}
