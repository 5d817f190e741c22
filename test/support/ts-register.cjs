// Development and tests only: `node -r ./test/support/ts-register.cjs src/….ts` runs TypeScript
// sources without a build (the CLI in test/cli.spec.ts), compiled on require with the same swc
// settings as jest.config.
require('../../src/lib/threads/ts-register.cjs');
