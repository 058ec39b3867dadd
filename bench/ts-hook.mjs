/**
 * Lets a bench script load the workspace's TypeScript directly (as jest does): .ts files are
 * compiled by swc with the repo's .swcrc, and `@orcest/*` resolves through
 * tsconfig.base.json's paths. For micro-benchmarks of code the gateway bundle does not expose.
 * Import it, then load TypeScript with `createRequire(import.meta.url)`.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import swcCore from '@swc/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const swc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const { paths } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const target = paths[request];
  return resolve.call(this, target ? join(root, target[0]) : request, ...rest);
};
Module._extensions['.ts'] = (module, filename) => {
  const { code } = swcCore.transformSync(readFileSync(filename, 'utf8'), { ...swc, swcrc: false, filename, sourceMaps: false });
  module._compile(code, filename);
};
