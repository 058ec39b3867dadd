#!/usr/bin/env node
/**
 * `npm run db:generate` (also run by `npm install` and `npm test`): generates the Prisma client
 * from prisma/schema.prisma into libs/db/src/generated/prisma, offline.
 *
 * Prisma 7's client needs no native engine, but `prisma generate` still tries to download the
 * schema engine unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file; generate never runs
 * it, so any existing file does (here: node itself). A value you set yourself is kept.
 * An install without dev dependencies has no Prisma CLI: then there is nothing to do.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

let cli;
try {
  cli = require.resolve('prisma/build/index.js');
} catch {
  console.log('db:generate: the Prisma CLI is not installed (production install?); skipping client generation');
  process.exit(0);
}

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const run = spawnSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], { cwd: root, env, stdio: 'inherit' });
process.exit(run.status ?? 1);
