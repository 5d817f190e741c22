/** The database of this Jest worker (created fresh by global-setup). */
export function workerDatabaseUrl(): string {
  const base = process.env.TEST_DATABASE_BASE_URL;
  if (!base) throw new Error('TEST_DATABASE_BASE_URL is not set: run the tests through jest (global-setup)');
  const url = new URL(base);
  url.pathname = `/${process.env.TEST_DATABASE_PREFIX ?? 'maas_test_'}${process.env.JEST_WORKER_ID ?? '1'}`;
  return url.toString();
}
