/** This Jest worker's database (created fresh by global-setup), and emptying it between files. */
import pg from 'pg';

/** The database of this Jest worker (created fresh by global-setup). */
export function workerDatabaseUrl(): string {
  const base = process.env.TEST_DATABASE_BASE_URL;
  if (!base) throw new Error('TEST_DATABASE_BASE_URL is not set: run the tests through jest (global-setup)');
  const url = new URL(base);
  url.pathname = `/${process.env.TEST_DATABASE_PREFIX ?? 'maas_test_'}${process.env.JEST_WORKER_ID ?? '1'}`;
  return url.toString();
}

/** Empties every application table (not the migration record, not the queue's schema). */
export async function truncateAll(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    if (!rows.length) return;
    // DELETE with foreign-key triggers off (one transaction) takes ~10–80 ms on a test's few rows;
    // TRUNCATE makes new files for every table and index (~400 ms), which ~200 app starts pay.
    // Turning triggers off needs a superuser; without one, TRUNCATE.
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL session_replication_role = replica`);
      for (const r of rows) await client.query(`DELETE FROM "${r.tablename}"`);
      await client.query('COMMIT');
    } catch {
      await client.query('ROLLBACK');
      await client.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} CASCADE`);
    }
  } finally {
    await client.end();
  }
}
