// ESLint (flat config): typescript-eslint's recommended rules without type information (fast), an
// import-cycle rule and the layer boundaries of STYLE.md. The architecture test
// (test/architecture.spec.ts) checks the same layers over the whole import graph, type-only imports
// included; these rules point at the offending line in the editor.
//
// Layers, lowest first: src/lib (and src/config.ts) → src/ml → src/modules → src/graphql, src/jobs →
// composition roots src/main.ts, src/app.ts, src/worker.ts, src/services.ts. A layer imports only
// from the layers below it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ROOTS = ['./src/main.ts', './src/app.ts', './src/worker.ts', './src/services.ts'];

/** `import-x/no-restricted-paths` zones: files under `target` may not import from `from`. */
const LAYER_ZONES = [
  { target: './src/lib', from: ['./src/ml', './src/modules', './src/graphql', './src/jobs'], message: 'src/lib is the lowest layer: no domain, ML, GraphQL or job code.' },
  {
    target: ['./src/config.ts', './src/config'],
    from: ['./src/lib', './src/ml', './src/modules', './src/graphql', './src/jobs'],
    message: 'src/config.ts and src/config/ only parse the environment.',
  },
  {
    target: './src/ml',
    from: ['./src/modules', './src/graphql', './src/jobs', './src/generated'],
    message: 'src/ml is pure functions of tensors and specs: no modules, GraphQL, jobs or Prisma.',
  },
  { target: './src/modules', from: ['./src/graphql', './src/jobs'], message: 'src/modules must not depend on the GraphQL server or the job runner.' },
  { target: './src/graphql', from: ['./src/jobs'], message: 'src/graphql must not depend on the job runner.' },
  { target: './src/jobs', from: ['./src/graphql'], message: 'src/jobs must not depend on the GraphQL server (the worker never loads it).' },
  {
    target: ['./src/lib', './src/config.ts', './src/config', './src/ml', './src/modules', './src/graphql', './src/jobs', './src/client'],
    from: ROOTS,
    message: 'Only tests, scripts and bench import the composition roots (main, app, worker, services).',
  },
  { target: './src/client', from: ['./src/lib', './src/ml', './src/modules', './src/graphql', './src/jobs'], message: 'src/client is a standalone API client: no server code.' },
];

/** Packages src/ml must not import (it stays free of Prisma and GraphQL). */
const ML_FORBIDDEN_PACKAGES = {
  patterns: [
    { group: ['@prisma/*', 'prisma', '**/generated/**'], message: 'src/ml must not touch Prisma; pass plain data in.' },
    { group: ['graphql', 'graphql-*', 'type-graphql', '@apollo/*'], message: 'src/ml must not depend on GraphQL.' },
  ],
};

export default defineConfig(
  {
    ignores: ['src/generated/**', 'src/client/generated/**', 'web/console/generated/**', 'dist/**', '.data/**', 'data/**', 'coverage/**', 'node_modules/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.cjs', '.mjs', '.json', '.node'] })],
      'import-x/extensions': ['.ts', '.js', '.cjs', '.mjs'],
    },
    rules: {
      // Unused code: `_`-prefixed arguments, variables and caught errors are deliberate.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Thread workers, optional native backends and package.json are loaded with require() on purpose.
      '@typescript-eslint/no-require-imports': 'off',
      // type-graphql's API takes resolver classes and metadata targets as `Function`.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // `cond ? a() : b();` and `x && f();` as statements are deliberate.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      'prefer-const': ['error', { destructuring: 'all' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',

      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-useless-path-segments': 'error',
      'import-x/no-duplicates': 'error',
      'import-x/no-restricted-paths': ['error', { zones: LAYER_ZONES }],
    },
  },
  {
    // TEMPORARY: files with a wrong-way import that exists on main today and is being removed (issue 9).
    // They mirror KNOWN_VIOLATIONS in test/architecture.spec.ts, which still fails on any new
    // violation in these files. Empty this list together with KNOWN_VIOLATIONS.
    files: [
      'src/modules/audit/audit.resolver.ts',
      'src/modules/auth/api-key.resolver.ts',
      'src/modules/auth/auth.resolver.ts',
      'src/modules/datasets/dataset.resolver.ts',
      'src/modules/registry/alias.resolver.ts',
      'src/modules/registry/model.resolver.ts',
      'src/modules/serving/batch.resolver.ts',
      'src/modules/serving/predict.resolver.ts',
      'src/modules/system/system.resolver.ts',
      'src/modules/tenants/tenant.resolver.ts',
      'src/modules/training/training-run.resolver.ts',
    ],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
  {
    files: ['src/ml/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', ML_FORBIDDEN_PACKAGES] },
  },
  {
    // Tests, benchmarks and scripts read untyped GraphQL responses. The API client (src/client/) and
    // the demo use the generated typed documents (issue 13) and stay free of `any`.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['scripts/demo/**', 'scripts/demo.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
