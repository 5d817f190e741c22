/**
 * Once per `npm test`: the explorer and console bundles built (scripts/build-explorer.mjs,
 * scripts/build-console.mjs), a PostgreSQL server for the whole run (DATABASE_URL's when set, otherwise an
 * embedded one in a throwaway folder), and one fresh database per Jest worker, named after this
 * run's process id so concurrent runs against one server do not collide (dropped at teardown), each
 * already migrated.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/lib/embedded-postgres';
import { migrate } from '../../src/lib/migrate';

export const MAX_WORKERS = 4;

export default async function globalSetup(): Promise<void> {
  // The GraphQL explorer's bundle (GRAPHQL_EXPLORER=graphiql is the default outside production);
  // a no-op when dist/explorer/ is up to date.
  execFileSync(process.execPath, [path.join(__dirname, '../../scripts/build-explorer.mjs')], { stdio: 'inherit' });
  // The web console's bundle (served at /console); a no-op when dist/console/ is up to date.
  execFileSync(process.execPath, [path.join(__dirname, '../../scripts/build-console.mjs')], { stdio: 'inherit' });
  let baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-test-pg-'));
    fs.chmodSync(dir, 0o777); // the embedded server runs as OS user `postgres` when we are root
    const embedded = await startEmbeddedPostgres(path.join(dir, 'data'), 0);
    (globalThis as Record<string, unknown>).__embeddedPg = { stop: embedded.stop, dir };
    baseUrl = embedded.url;
  }
  process.env.TEST_DATABASE_BASE_URL = baseUrl;
  process.env.TEST_DATABASE_PREFIX = `maas_test_${process.pid}_`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    // The first worker's database is migrated here, once, and the others are copies of it: Jest
    // workers starting together would otherwise each migrate, and race to create the cluster-wide
    // role `maas_tenant`.
    const first = `${process.env.TEST_DATABASE_PREFIX}1`;
    for (let w = 1; w <= MAX_WORKERS; w++) {
      const name = `${process.env.TEST_DATABASE_PREFIX}${w}`;
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(w === 1 ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${first}`);
      if (w === 1) {
        const url = new URL(baseUrl);
        url.pathname = `/${name}`;
        await migrate(url.toString());
      }
    }
  } finally {
    await admin.end();
  }
}
