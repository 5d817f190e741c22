// The unit tier has no database: a unit spec that reaches for one (workerDatabaseUrl) fails with
// "TEST_DATABASE_BASE_URL is not set" even when `npm test` runs it beside the integration tier.
// Jest gives each spec file its own copy of process.env, so this does not reach other files.
delete process.env.TEST_DATABASE_BASE_URL;
