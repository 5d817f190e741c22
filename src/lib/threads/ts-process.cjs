// Development and tests only: a child process started from TypeScript sources (`npm test` runs
// them through @swc/jest) compiles its entry module and the module's imports on require, with the
// same swc settings as jest.config (see ts-worker.cjs, its twin for worker threads). Built code
// (dist/) forks the compiled .js entry and never uses this. Usage: fork(this file, [entry.ts]).
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

require(process.argv[2]);
