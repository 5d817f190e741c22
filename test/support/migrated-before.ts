/**
 * A database of its own migrated up to (not including) one migration, for specs of a data
 * migration: the spec inserts rows as they were before it, then runs every migration.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../../src/lib/migrate';
import { projectRoot } from '../../src/lib/paths';
import { workerDatabaseUrl } from './database';

/**
 * Runs `body` on a fresh database `<worker db>_<suffix>` with the migrations before `migration`
 * applied; `migrateAll()` applies the rest. The database and the temporary folder go afterwards.
 */
export async function withDatabaseBefore(suffix: string, migration: string, body: (db: { client: pg.Client; migrateAll: () => Promise<unknown> }) => Promise<void>): Promise<void> {
  const base = workerDatabaseUrl();
  const url = new URL(base);
  const dbName = `${url.pathname.slice(1)}_${suffix}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}"`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  url.pathname = `/${dbName}`;
  const all = path.join(projectRoot(), 'prisma', 'migrations');
  const before = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  for (const name of fs.readdirSync(all).filter((n) => n < migration && fs.existsSync(path.join(all, n, 'migration.sql')))) {
    fs.cpSync(path.join(all, name), path.join(before, name), { recursive: true });
  }
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await migrate(url.toString(), before);
    await body({ client, migrateAll: () => migrate(url.toString()) });
  } finally {
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}"`);
    await admin.end();
    fs.rmSync(before, { recursive: true, force: true });
  }
}
