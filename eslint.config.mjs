import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Module boundaries: apps may use feature, data-access and util libs; data-access may use
 * util; util only util; testing helpers (type:testing) are reachable from tests only (see the
 * override below) and never from production code. Tests keep their project's layering and
 * scope too: the override adds the test helpers, it does not lift the rules.
 */
export default [
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'tmp/**', '**/webpack.config.js', 'tools/app-webpack-config.js', 'jest.config.js', '.data/**', 'libs/db/src/generated/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:data-access', 'type:testing'] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
            { sourceTag: 'scope:login', onlyDependOnLibsWithTags: ['scope:login', 'scope:shared'] },
            { sourceTag: 'scope:status', onlyDependOnLibsWithTags: ['scope:status', 'scope:shared'] },
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:cli', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    // `@orcest/db/testing` (test databases) is part of the db project, not a type:testing
    // project of its own: libs/db's own specs need it, and a separate project would make a
    // dependency cycle (db-testing → db → db-testing). So the tag rule cannot keep it out of
    // production code; this rule does.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@orcest/db/testing', '**/db/src/testing/**'], message: 'Test databases are for specs and test helpers only.' }] }],
    },
  },
  {
    // Tests and their helpers follow the same layering as the code they test, plus the test
    // helpers (type:testing); the platform's own tests (type:e2e) may reach every project.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/testing/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:testing'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:testing'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:testing'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:data-access', 'type:testing'] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared', 'scope:testing'] },
            { sourceTag: 'scope:login', onlyDependOnLibsWithTags: ['scope:login', 'scope:shared', 'scope:testing'] },
            { sourceTag: 'scope:status', onlyDependOnLibsWithTags: ['scope:status', 'scope:shared', 'scope:testing'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'scope:testing'] },
            // The fakes speak every app's protocols; the platform tests span every app.
            { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
];
