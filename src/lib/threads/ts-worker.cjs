// Development and tests only: a worker thread started from TypeScript sources (`npm test` runs
// them through @swc/jest) compiles the task module and its imports on require, with the same swc
// settings as jest.config. Built code (dist/) loads the compiled .js module and never uses this.
const { workerData } = require('piscina');
require('./ts-register.cjs');

module.exports = require(workerData.modulePath);
