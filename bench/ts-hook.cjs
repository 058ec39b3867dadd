/**
 * Lets a bench script `require()` the workspace's TypeScript directly (as jest does): .ts files
 * are compiled by swc with the repo's .swcrc, and `@orcest/*` resolves through
 * tsconfig.base.json's paths. For micro-benchmarks of code the gateway bundle does not expose.
 */
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const root = join(__dirname, '..');
const swc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const { paths } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const target = paths[request];
  return resolve.call(this, target ? join(root, target[0]) : request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swc, swcrc: false, filename, sourceMaps: false });
  module._compile(code, filename);
};
