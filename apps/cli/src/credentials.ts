/**
 * The sign-in the CLI keeps between runs: Login's URL, the gateway audience, who signed in and
 * the refresh token (the only secret), in $XDG_CONFIG_HOME/rainymodel/credentials.json
 * (default ~/.config/rainymodel). The directory is 0700 and the file 0600, written to a temp
 * file first and renamed, so a crash never leaves half a token and nobody else can read it.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credentials {
  readonly login: string;
  /** The resource the gateway's tokens are for (its RAINYMODEL_AUDIENCE). */
  readonly audience: string;
  readonly refreshToken: string;
  readonly email?: string;
  readonly savedAt: string;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CONFIG_HOME'] && env['XDG_CONFIG_HOME'].startsWith('/') ? env['XDG_CONFIG_HOME'] : join(env['HOME'] || homedir(), '.config');
  return join(base, 'rainymodel');
}

export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'credentials.json');
}

export function loadCredentials(env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
  let text: string;
  try {
    text = readFileSync(credentialsFile(env), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Credentials>;
    if (typeof parsed.login === 'string' && typeof parsed.audience === 'string' && typeof parsed.refreshToken === 'string' && typeof parsed.savedAt === 'string') return parsed as Credentials;
  } catch {
    // A damaged file is no sign-in: `rainymodel login` writes a new one.
  }
  return undefined;
}

export function saveCredentials(credentials: Credentials, env: NodeJS.ProcessEnv = process.env): void {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = credentialsFile(env);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // The mode given at creation is masked by the umask; set it exactly.
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

export function deleteCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  const file = credentialsFile(env);
  try {
    rmSync(file);
    return true;
  } catch {
    return false;
  }
}
