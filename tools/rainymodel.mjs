#!/usr/bin/env node
// The `rainymodel` command of package.json's "bin": runs the CLI bundle built by the workspace
// (`npm run build`, or `npx nx build cli`) and says how to build it when it is missing.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'apps', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(`rainymodel is not built yet (${main} is missing).\nBuild it with: npx nx build cli   (or npm run build)\n`);
  process.exit(1);
}
createRequire(import.meta.url)(main);
