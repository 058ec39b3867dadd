#!/usr/bin/env node
/**
 * `npm run db:migration -- <name> [--from <schema file>]`: writes
 * prisma/migrations/<UTC timestamp>_<name>/migration.sql for the changes made to
 * prisma/schema.prisma since the last commit (or since --from), on a machine that can't
 * download Prisma's native schema engine.
 *
 * Prisma 7 has no offline migrate; Prisma 6.19.3 does, through the wasm schema engine behind a
 * driver adapter. So this installs Prisma 6.19.3 into a scratch folder outside the workspace
 * (once; install scripts off, nothing downloaded but npm packages) and runs its
 * `migrate diff --from-schema-datamodel --to-schema-datamodel --script`. That engine insists on
 * connecting to some PostgreSQL, though a schema-to-schema diff changes nothing there:
 * DATABASE_URL, else TEST_DATABASE_URL, else this machine's local server.
 *
 * The committed schema.prisma is a valid starting point because the drift test keeps it equal
 * to the committed migrations. Review the SQL, then `npm test` (the drift test) confirms it.
 * With network access, `npx prisma migrate dev --create-only --name <name>` does the same.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PRISMA6 = '6.19.3';
const PG = '8.23.1';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fail = (message) => {
  console.error(`db:migration: ${message}`);
  process.exit(1);
};

const args = process.argv.slice(2);
const name = args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--from');
const fromIndex = args.indexOf('--from');
if (!name || !/^[a-z0-9_]+$/.test(name)) fail('usage: npm run db:migration -- <name_in_snake_case> [--from <schema file>]');

const toSchema = readFileSync(join(root, 'prisma/schema.prisma'), 'utf8');
let fromSchema;
if (fromIndex >= 0) {
  fromSchema = readFileSync(args[fromIndex + 1] ?? fail('--from needs a file'), 'utf8');
} else {
  const git = spawnSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: root, encoding: 'utf8' });
  fromSchema = git.status === 0 ? git.stdout : undefined; // no committed schema yet: diff from empty
}

/** Prisma 7's schema in Prisma 6's dialect: the URL in the datasource, a client-engine generator. */
const asPrisma6 = (schema) =>
  schema
    .replace(/^generator\s+\w+\s*\{[\s\S]*?^\}/gm, '')
    .replace(/^(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*"postgresql")/m, '$1\n  url = env("DATABASE_URL")')
    .concat('\ngenerator client {\n  provider   = "prisma-client-js"\n  engineType = "client"\n}\n');

const tool = join(tmpdir(), `orcest-prisma-${PRISMA6}-diff`);
if (!existsSync(join(tool, 'node_modules/prisma/build/index.js'))) {
  console.log(`db:migration: installing Prisma ${PRISMA6} into ${tool} (once)`);
  mkdirSync(tool, { recursive: true });
  writeFileSync(join(tool, 'package.json'), JSON.stringify({ name: 'orcest-prisma-diff', private: true }));
  const npm = spawnSync(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--save-exact', `prisma@${PRISMA6}`, `@prisma/adapter-pg@${PRISMA6}`, `pg@${PG}`],
    { cwd: tool, stdio: 'inherit' },
  );
  if (npm.status !== 0) fail('npm install of the scratch Prisma failed');
}

// @prisma/adapter-pg 6.19.3 rejects catalog columns of type `name` and `"char"`: read them as text.
writeFileSync(
  join(tool, 'prisma.config.ts'),
  `import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
const query = pg.Pool.prototype.query as (...args: unknown[]) => unknown;
(pg.Pool.prototype as { query: unknown }).query = function (this: unknown, ...args: unknown[]) {
  const result = query.apply(this, args) as Promise<{ fields?: { dataTypeID: number }[] }> | undefined;
  return result?.then((res) => {
    for (const field of res?.fields ?? []) if (field.dataTypeID === 18 || field.dataTypeID === 19) field.dataTypeID = 25;
    return res;
  });
};
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'to.prisma',
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
`,
);
writeFileSync(join(tool, 'to.prisma'), asPrisma6(toSchema));
const from = fromSchema === undefined ? ['--from-empty'] : ['--from-schema-datamodel', 'from.prisma'];
if (fromSchema !== undefined) writeFileSync(join(tool, 'from.prisma'), asPrisma6(fromSchema));

const databaseUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const diff = spawnSync(
  process.execPath,
  ['node_modules/prisma/build/index.js', 'migrate', 'diff', ...from, '--to-schema-datamodel', 'to.prisma', '--script'],
  { cwd: tool, encoding: 'utf8', env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' } },
);
if (diff.status !== 0) {
  fail(`prisma migrate diff failed (it needs some reachable PostgreSQL: set DATABASE_URL):\n${diff.stderr}${diff.stdout}`);
}
const sql = diff.stdout.replace(/-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/, '').trim();
if (sql === '' || sql === '-- This is an empty migration.') fail('schema.prisma has no changes to migrate');

const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const folder = join(root, 'prisma/migrations', `${stamp}_${name}`);
mkdirSync(folder);
writeFileSync(join(folder, 'migration.sql'), `${sql}\n`);
console.log(`db:migration: wrote ${join('prisma/migrations', `${stamp}_${name}`, 'migration.sql')}:\n\n${sql}\n\nReview it, then run npm test.`);
