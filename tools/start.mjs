#!/usr/bin/env node
/**
 * `npm start`: builds the apps (Nx caches the build, so a second start is quick) and runs the
 * platform on this machine: one database (the embedded PostgreSQL when DATABASE_URL is unset),
 * then Login SSO, the gateway and status, one after the other, each printing one short block
 * (its URL, what is configured, what to do next). Ctrl-C stops everything, the database last.
 *
 * `.env` at the repository root is read when present (`--env-file <path>` names another);
 * variables already set in the shell win over it. `--no-build` runs what is already built.
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
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const envFileArg = args.indexOf('--env-file');
const envFile = envFileArg === -1 ? join(root, '.env') : resolve(args[envFileArg + 1] ?? '.env');
const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : undefined;
// The shell wins over the file, as with docker compose and most dotenv loaders.
const env = { ...fromFile, ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const ports = { gateway: env.GATEWAY_PORT || '8080', login: env.LOGIN_PORT || '8090', status: env.STATUS_PORT || '8070' };
const urls = Object.fromEntries(Object.entries(ports).map(([app, port]) => [app, `http://localhost:${port}`]));
/** The title line (text) or the ready record (LOG_FORMAT=json) of an app's ready block. */
const READY = /^(RainyModel gateway|Login SSO|Status) +http|"msg":"ready"/m;

console.log(`Orcest AI platform — ${fromFile ? `${Object.keys(fromFile).length} variables from ${envFile}` : 'no .env (put settings in .env at the repository root, or in the environment)'}`);

if (!args.includes('--no-build')) {
  console.log('building the apps (cached after the first start)…');
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (build.status !== 0) {
    process.stdout.write(build.stdout ?? '');
    process.stderr.write(build.stderr ?? '');
    console.error('start: the build failed (output above)');
    process.exit(build.status ?? 1);
  }
}

const children = [];
let stopping = false;
let database;

function mainOf(app) {
  const main = join(root, 'dist/apps', app, 'main.js');
  return existsSync(main) ? main : undefined;
}

function localSecrets() {
  const wanted = ['OIDC_STATUS_SECRET', 'RAINYMODEL_METRICS_KEY'].filter((name) => !env[name]);
  if (wanted.length === 0) return {};
  const file = join(root, '.data/local-secrets.json');
  const stored = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets = { ...stored };
  for (const name of wanted) secrets[name] ??= randomBytes(24).toString('base64url');
  if (Object.keys(secrets).length !== Object.keys(stored).length) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  }
  return secrets;
}

/** Starts the shared embedded database and resolves with its URL and a description. */
function startDatabase() {
  return new Promise((resolveUrl, reject) => {
    const child = spawn(process.execPath, [mainOf('embedded-db')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    database = child;
    let description = 'embedded PostgreSQL';
    let errors = '';
    child.stderr.on('data', (d) => (errors += d));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('DATABASE_DESCRIPTION=')) description = line.slice('DATABASE_DESCRIPTION='.length);
      if (line.startsWith('DATABASE_URL=')) resolveUrl({ url: line.slice('DATABASE_URL='.length), description });
    });
    child.on('exit', (code) => {
      if (!stopping) reject(new Error(`the embedded database exited (${code})\n${errors}`));
    });
  });
}

/** Starts an app, passes its output through, and resolves once it printed its ready block. */
function run(app, appEnv) {
  const main = mainOf(app);
  if (!main) {
    console.log(`${app}: not built in this checkout; skipping it`);
    return Promise.resolve();
  }
  return new Promise((ready, fail) => {
    const child = spawn(process.execPath, [main], { cwd: root, env: { ...env, ...appEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let seen = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      if (seen !== undefined) {
        seen += chunk;
        if (READY.test(seen)) {
          seen = undefined;
          ready();
        }
      }
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const error = new Error(`${app} exited (${signal ?? code}); stopping the platform`);
      if (seen !== undefined) return fail(error);
      console.error(`start: ${error.message}`);
      stop(code ?? 1);
    });
  });
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
  if (!env.DATABASE_URL) {
    const started = await startDatabase();
    env.DATABASE_URL = started.url;
    console.log(`database             ${started.description}`);
  }
  const local = localSecrets();
  const statusSecret = { OIDC_STATUS_SECRET: env.OIDC_STATUS_SECRET || local.OIDC_STATUS_SECRET };
  const metricsKey = { RAINYMODEL_METRICS_KEY: env.RAINYMODEL_METRICS_KEY || local.RAINYMODEL_METRICS_KEY };
  // Login first (the gateway and status verify its tokens), status last (it watches the others).
  await run('login', {
    PORT: ports.login,
    SSO_BASE_URL: env.SSO_BASE_URL || urls.login,
    OIDC_STATUS_REDIRECT_URIS: env.OIDC_STATUS_REDIRECT_URIS || `${urls.status}/auth/callback`,
    RAINYMODEL_AUDIENCE: env.RAINYMODEL_AUDIENCE || urls.gateway,
    ...statusSecret,
  });
  await run('gateway', { PORT: ports.gateway, RAINYMODEL_SSO_ISSUER: env.RAINYMODEL_SSO_ISSUER || urls.login, RAINYMODEL_AUDIENCE: env.RAINYMODEL_AUDIENCE || urls.gateway, ...metricsKey });
  await run('status', {
    PORT: ports.status,
    STATUS_BASE_URL: env.STATUS_BASE_URL || urls.status,
    STATUS_OIDC_ISSUER: env.STATUS_OIDC_ISSUER || urls.login,
    GATEWAY_URL: env.GATEWAY_URL || urls.gateway,
    LOGIN_URL: env.LOGIN_URL || urls.login,
    ...statusSecret,
    ...metricsKey,
  });
  console.log(`ready: try  curl ${urls.gateway}/v1/chat/completions -H 'content-type: application/json' -d '{"model":"rainymodel/auto","messages":[{"role":"user","content":"Salam!"}]}'`);
  console.log('Ctrl-C stops everything.');
} catch (error) {
  console.error(`start: ${error.message}`);
  stop(1);
}
