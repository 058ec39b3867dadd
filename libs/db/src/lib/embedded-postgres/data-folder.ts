/**
 * Creates the embedded server's data folder once (initdb), safely when several processes
 * start at the same moment: initdb runs in a private sibling folder that is then renamed into
 * place; whoever renames first wins and the others discard theirs.
 *
 * The cluster is UTF-8 with PostgreSQL's builtin C.UTF-8 locale (no dependence on the host's
 * locales; Unicode-aware lower/upper), the superuser `postgres` with a random password
 * (scram-sha-256), stored in the folder for later starts.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { EmbeddedPostgresError } from '../db-errors';
import type { PostgresBinaries } from './postgres-binaries';
import type { RunAs } from './run-as';

export const SUPERUSER = 'postgres';
const PASSWORD_FILE = 'orcest-superuser.password';

/** Runs initdb unless `dataDir` already holds a cluster; returns the superuser's password. */
export async function ensureDataFolder(dataDir: string, binaries: PostgresBinaries, runAs: RunAs | undefined): Promise<string> {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialise(dataDir, binaries, runAs);
  const passwordFile = join(dataDir, PASSWORD_FILE);
  if (!existsSync(passwordFile)) {
    throw new EmbeddedPostgresError(`${dataDir} holds a PostgreSQL cluster not made by this tool (no ${PASSWORD_FILE}): use another folder`);
  }
  return readFileSync(passwordFile, 'utf8').trim();
}

async function initialise(dataDir: string, binaries: PostgresBinaries, runAs: RunAs | undefined): Promise<void> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new EmbeddedPostgresError(`${dataDir} is neither empty nor a PostgreSQL data folder`);
  }
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(dataDir)}.initdb-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging, { mode: 0o700 });
  const password = randomBytes(24).toString('base64url');
  const passwordInput = join(tmpdir(), `orcest-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  writeFileSync(passwordInput, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      chownSync(staging, runAs.uid, runAs.gid);
      chownSync(passwordInput, runAs.uid, runAs.gid);
    }
    await runInitdb(binaries, staging, passwordInput, runAs);
    writeFileSync(join(staging, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
    if (runAs) chownSync(join(staging, PASSWORD_FILE), runAs.uid, runAs.gid);
    try {
      if (existsSync(dataDir)) rmdirSync(dataDir); // empty, checked above
      renameSync(staging, dataDir);
    } catch (error) {
      // Another process initialised the folder first: use theirs.
      if (!existsSync(join(dataDir, 'PG_VERSION'))) throw error;
    }
  } finally {
    rmSync(passwordInput, { force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

function runInitdb(binaries: PostgresBinaries, dir: string, passwordFile: string, runAs: RunAs | undefined): Promise<void> {
  const args = [
    `--pgdata=${dir}`,
    `--username=${SUPERUSER}`,
    '--auth=scram-sha-256',
    `--pwfile=${passwordFile}`,
    '--encoding=UTF8',
    '--locale=C',
    '--locale-provider=builtin',
    '--builtin-locale=C.UTF-8',
    '--no-instructions',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(binaries.initdb, args, {
      cwd: dirname(dir),
      env: postgresEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => reject(new EmbeddedPostgresError(`could not run initdb: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const hint = runAs
        ? ` (initdb runs as the \`${runAs.user}\` user: it must be able to reach ${dirname(dir)} and ${binaries.packageDir})`
        : '';
      reject(new EmbeddedPostgresError(`initdb failed with exit code ${code}${hint}:\n${output.trim()}`));
    });
  });
}

/** A small, predictable environment: English messages, no PG* variables from the caller. */
export function postgresEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', LANG: 'C', LC_ALL: 'C', TZ: 'UTC' };
}
