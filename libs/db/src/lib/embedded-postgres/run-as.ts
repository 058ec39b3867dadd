/**
 * PostgreSQL refuses to run as root. When this process is root (a container, CI, this
 * development machine), initdb and the server run as the `postgres` system user instead —
 * the one the distribution's PostgreSQL packages create — and the data folder is given to it.
 * Under any other user they run as that user and nothing changes hands.
 */
import { execFileSync } from 'node:child_process';
import { EmbeddedPostgresError } from '../db-errors';

export interface RunAs {
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
}

export const POSTGRES_SYSTEM_USER = 'postgres';

/** The user to run PostgreSQL as, or undefined to run it as this process's user. */
export function postgresRunAs(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', POSTGRES_SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', POSTGRES_SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('unexpected output of id');
    return { user: POSTGRES_SYSTEM_USER, uid, gid };
  } catch {
    throw new EmbeddedPostgresError(
      'PostgreSQL cannot run as root and there is no `postgres` system user to run it as: ' +
        'create one (`useradd --system --user-group postgres`), run as a non-root user, or set DATABASE_URL',
    );
  }
}
