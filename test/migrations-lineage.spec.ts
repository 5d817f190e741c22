/**
 * The lineage migration (20261206110000_lineage) on a database with data from before it: every
 * dataset gets the sha256 of its stored bytes, every version the dataset of its run, no lineage
 * and no warnings; deleting a tenant still cascades through the new foreign key.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../src/lib/migrate';
import { projectRoot } from '../src/lib/paths';
import { workerDatabaseUrl } from './support/database';

it('backfills dataset checksums and version datasets, and deleting a tenant still cascades', async () => {
  const base = workerDatabaseUrl();
  const url = new URL(base);
  const dbName = `${url.pathname.slice(1)}_lineage`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}"`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  url.pathname = `/${dbName}`;
  const all = path.join(projectRoot(), 'prisma', 'migrations');
  const before = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  for (const name of fs.readdirSync(all).filter((n) => n < '20261206110000_lineage' && fs.existsSync(path.join(all, n, 'migration.sql')))) {
    fs.cpSync(path.join(all, name), path.join(before, name), { recursive: true });
  }
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await migrate(url.toString(), before);
    const csv = Buffer.from('a,b\n1,2\n3,4\n');
    await client.query(`INSERT INTO "Tenant" (id, name) VALUES ('t1', 'acme')`);
    await client.query(
      `INSERT INTO "Dataset" (id, "tenantId", name, "sizeBytes", "rowCount", "hasHeader", delimiter, columns, content) VALUES ('d1', 't1', 'd', $1, 2, true, ',', '[]', $2)`,
      [csv.length, csv],
    );
    await client.query(
      `INSERT INTO "TrainingRun" (id, "tenantId", "datasetId", "modelName", "targetColumn", "featureColumns", spec, status) VALUES ('r1', 't1', 'd1', 'm', 'b', '{a}', '{}', 'SUCCEEDED')`,
    );
    await client.query(`INSERT INTO "Model" (id, "tenantId", name) VALUES ('m1', 't1', 'm')`);
    await client.query(
      `INSERT INTO "ModelVersion" (id, "tenantId", "modelId", version, "trainingRunId", task, framework, topology, weights, "inputSchema", "outputSchema", preprocessing, metrics)
       VALUES ('v1', 't1', 'm1', 1, 'r1', 'regression', 'tfjs-layers', '{}', '\\x00', '{}', '{}', '{}', '{}')`,
    );
    await migrate(url.toString());
    const ds = (await client.query(`SELECT checksum, "archivedAt" FROM "Dataset" WHERE id = 'd1'`)).rows[0];
    expect(ds).toEqual({ checksum: crypto.createHash('sha256').update(csv).digest('hex'), archivedAt: null });
    const v = (await client.query(`SELECT "datasetId", lineage, warnings FROM "ModelVersion" WHERE id = 'v1'`)).rows[0];
    expect(v).toEqual({ datasetId: 'd1', lineage: null, warnings: [] });
    // The dataset of a version cannot be deleted under it (the service archives instead) ...
    await expect(client.query(`DELETE FROM "Dataset" WHERE id = 'd1'`)).rejects.toMatchObject({ code: '23503', constraint: 'ModelVersion_datasetId_fkey' });
    // ... but deleting the tenant removes both in one statement.
    await client.query(`DELETE FROM "Tenant" WHERE id = 't1'`);
    expect((await client.query(`SELECT count(*)::int AS n FROM "ModelVersion"`)).rows[0].n).toBe(0);
  } finally {
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}"`);
    await admin.end();
    fs.rmSync(before, { recursive: true, force: true });
  }
});
