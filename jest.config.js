/**
 * Jest: TypeScript through SWC (legacy decorators + metadata for type-graphql), in two tiers.
 * - unit: test/unit/ and specs beside the source (src/**\/*.spec.ts): pure functions, no database,
 *   no server. `npm run test:unit` runs it in seconds.
 * - integration: every other spec under test/, against real PostgreSQL (one fresh database per Jest
 *   worker, made by global-setup) and the real HTTP/websocket server. `npm run test:integration`.
 * - property: test/property/, hostile values generated from the schema (fast-check, seeded, fixed run
 *   counts) against the real server over HTTP and websocket. `npm run test:property`.
 * `npm test` runs all three.
 */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

/** What both tiers share. */
const common = {
  testEnvironment: 'node',
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swc] },
  // These packages ship ES modules only; Jest runs CommonJS, so SWC converts them. The OTLP
  // exporter's CommonJS build loads node:http with import(), which Jest's VM refuses without
  // --experimental-vm-modules; SWC turns it into require.
  transformIgnorePatterns: ['/node_modules/(?!(graphql-upload|fs-capacitor|@opentelemetry/otlp-exporter-base)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/test/unit', '<rootDir>/src'],
      setupFiles: ['<rootDir>/test/setup/env.ts', '<rootDir>/test/setup/unit-env.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/', '<rootDir>/test/property/'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      setupFiles: ['<rootDir>/test/setup/env.ts'],
    },
    {
      ...common,
      displayName: 'property',
      roots: ['<rootDir>/test/property'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      setupFiles: ['<rootDir>/test/setup/env.ts'],
    },
  ],
};
