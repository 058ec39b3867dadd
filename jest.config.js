/**
 * One jest run over every project. Tests are TypeScript compiled by swc (no type-check here:
 * `npm run typecheck` does that); ESM-only dependencies are transformed too.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const swcConfig = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
const { paths } = JSON.parse(readFileSync(join(__dirname, 'tsconfig.base.json'), 'utf8')).compilerOptions;
const moduleNameMapper = Object.fromEntries(
  Object.entries(paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);
const esmPackages = ['@nestjs', 'oidc-provider', 'jose', 'openid-client', 'oauth4webapi', 'file-type', 'cookie', 'strtok3', 'token-types', 'uint8array-extras', '@tokenizer', 'quick-lru', 'nanoid'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.[tj]sx?$': ['@swc/jest', { ...swcConfig, swcrc: false }] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper,
  testTimeout: 30000,
};
