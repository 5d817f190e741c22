// Development and tests only: `node -r ./test/support/ts-register.cjs src/….ts` runs TypeScript
// sources without a build (the CLI in test/cli.spec.ts), compiled on require with the same swc
// settings as jest.config.
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
