// Development and tests only: compiles TypeScript sources on require, with the same swc settings
// as jest.config. Loaded by ts-worker.cjs (worker threads), ts-process.cjs (child processes) and
// test/support/ts-register.cjs (`node -r`); built code (dist/) never uses it.
const { addHook } = require('pirates');
const { transformSync } = require('@swc/core');

addHook(
  (code, filename) =>
    transformSync(code, {
      filename,
      sourceMaps: 'inline',
      module: { type: 'commonjs' },
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
      },
    }).code,
  { exts: ['.ts'] },
);
