// Development and tests only: a worker thread started from TypeScript sources (`npm test` runs
// them through @swc/jest) compiles the task module and its imports on require, with the same swc
// settings as jest.config. Built code (dist/) loads the compiled .js module and never uses this.
const { workerData } = require('piscina');
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

module.exports = require(workerData.modulePath);
