// Development and tests only: a child process started from TypeScript sources (`npm test` runs
// them through @swc/jest) compiles its entry module and the module's imports on require, with the
// same swc settings as jest.config (see ts-worker.cjs, its twin for worker threads). Built code
// (dist/) forks the compiled .js entry and never uses this. Usage: fork(this file, [entry.ts]).
require('./ts-register.cjs');

require(process.argv[2]);
