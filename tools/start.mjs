#!/usr/bin/env node
/**
 * `npm start`: builds the apps (Nx caches the build, so a second start is quick) and runs the
 * platform on this machine: one database (the embedded PostgreSQL when DATABASE_URL is unset),
 * Login SSO, the gateway, and the status app when it is built. Prints each app's URL; Ctrl-C
 * stops everything, the database last.
 *
 * Local secrets, generated once into .data/local-secrets.json: the `status` client's secret,
 * given to both login and status, so the status admin can sign in through Login on a laptop
 * with no configuration; and the gateway's RAINYMODEL_METRICS_KEY, given to the gateway and to
 * status, which reads the gateway's /health/upstreams with it (the gateway runs without a
 * master key here, but users have API keys and SSO tokens, so its operator endpoints are not
 * open). Set OIDC_STATUS_SECRET or RAINYMODEL_METRICS_KEY to use your own.
 *
 * Every app listens on 127.0.0.1 (their default) unless HOST is set: a laptop's platform is
 * not on the network by accident.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const ports = { gateway: env.GATEWAY_PORT ?? '8080', login: env.LOGIN_PORT ?? '8090', status: env.STATUS_PORT ?? '8070' };
const urls = Object.fromEntries(Object.entries(ports).map(([app, port]) => [app, `http://localhost:${port}`]));

const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], { cwd: root, env, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const children = [];
let stopping = false;
let database;

function mainOf(app) {
  const main = join(root, 'dist/apps', app, 'main.js');
  return existsSync(main) ? main : undefined;
}

function localSecrets() {
  const file = join(root, '.data/local-secrets.json');
  const stored = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets = { ...stored };
  for (const name of ['OIDC_STATUS_SECRET', 'RAINYMODEL_METRICS_KEY']) secrets[name] ??= randomBytes(24).toString('base64url');
  if (Object.keys(secrets).length !== Object.keys(stored).length) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  }
  return secrets;
}

/** Starts the shared embedded database and resolves with its URL. */
function startDatabase() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainOf('embedded-db')], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    database = child;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith('DATABASE_URL=')) resolve(line.slice('DATABASE_URL='.length));
    });
    child.on('exit', (code) => {
      if (!stopping) reject(new Error(`the embedded database exited (${code})`));
    });
  });
}

function run(app, appEnv, describe) {
  const main = mainOf(app);
  if (!main) {
    console.log(`start: ${app} is not built in this checkout; skipping it`);
    return;
  }
  const child = spawn(process.execPath, [main], { cwd: root, env: { ...env, ...appEnv }, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`start: ${app} exited (${signal ?? code}); stopping the platform`);
    stop(code ?? 1);
  });
  children.push(child);
  console.log(`start: ${describe}`);
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  let running = children.filter((c) => c.exitCode === null && c.signalCode === null).length;
  const stopDatabase = () => {
    if (database && database.exitCode === null) {
      database.on('exit', () => process.exit(code));
      database.kill('SIGTERM');
    } else process.exit(code);
  };
  if (running === 0) return stopDatabase();
  for (const child of children) {
    child.on('exit', () => {
      running -= 1;
      if (running === 0) stopDatabase();
    });
    child.kill('SIGTERM');
  }
  setTimeout(() => process.exit(code), 15_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  if (!env.DATABASE_URL) env.DATABASE_URL = await startDatabase();
  const local = localSecrets();
  const statusSecret = { OIDC_STATUS_SECRET: env.OIDC_STATUS_SECRET || local.OIDC_STATUS_SECRET };
  const metricsKey = { RAINYMODEL_METRICS_KEY: env.RAINYMODEL_METRICS_KEY || local.RAINYMODEL_METRICS_KEY };
  run(
    'login',
    { PORT: ports.login, SSO_BASE_URL: env.SSO_BASE_URL ?? urls.login, OIDC_STATUS_REDIRECT_URIS: env.OIDC_STATUS_REDIRECT_URIS ?? `${urls.status}/auth/callback`, RAINYMODEL_AUDIENCE: env.RAINYMODEL_AUDIENCE ?? urls.gateway, ...statusSecret },
    `Login SSO            ${urls.login}  (admin panel ${urls.login}/admin; the first admin's password is printed above on the first start)`,
  );
  run('gateway', { PORT: ports.gateway, RAINYMODEL_SSO_ISSUER: env.RAINYMODEL_SSO_ISSUER ?? urls.login, RAINYMODEL_AUDIENCE: env.RAINYMODEL_AUDIENCE ?? urls.gateway, ...metricsKey }, `RainyModel gateway   ${urls.gateway}  (OpenAI base URL ${urls.gateway}/v1)`);
  run(
    'status',
    { PORT: ports.status, STATUS_BASE_URL: env.STATUS_BASE_URL ?? urls.status, STATUS_OIDC_ISSUER: env.STATUS_OIDC_ISSUER ?? urls.login, GATEWAY_URL: env.GATEWAY_URL ?? urls.gateway, LOGIN_URL: env.LOGIN_URL ?? urls.login, ...statusSecret, ...metricsKey },
    `Status               ${urls.status}  (admin ${urls.status}/admin)`,
  );
} catch (error) {
  console.error(`start: ${error.message}`);
  stop(1);
}
