/**
 * The lineage migration (20261206110000_lineage) on a database with data from before it: every
 * dataset gets the sha256 of its stored bytes, every version the dataset of its run, no lineage
 * and no warnings; deleting a tenant still cascades through the new foreign key.
 */
import crypto from 'node:crypto';
import { withDatabaseBefore } from './support/migrated-before';

it('backfills dataset checksums and version datasets, and deleting a tenant still cascades', async () => {
  await withDatabaseBefore('lineage', '20261206110000_lineage', async ({ client, migrateAll }) => {
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
    await migrateAll();
    const ds = (await client.query(`SELECT checksum, "archivedAt" FROM "Dataset" WHERE id = 'd1'`)).rows[0];
    expect(ds).toEqual({ checksum: crypto.createHash('sha256').update(csv).digest('hex'), archivedAt: null });
    const v = (await client.query(`SELECT "datasetId", lineage, warnings FROM "ModelVersion" WHERE id = 'v1'`)).rows[0];
    expect(v).toEqual({ datasetId: 'd1', lineage: null, warnings: [] });
    // The dataset of a version cannot be deleted under it (the service archives instead) ...
    await expect(client.query(`DELETE FROM "Dataset" WHERE id = 'd1'`)).rejects.toMatchObject({ code: '23503', constraint: 'ModelVersion_datasetId_fkey' });
    // ... but deleting the tenant removes both in one statement.
    await client.query(`DELETE FROM "Tenant" WHERE id = 't1'`);
    expect((await client.query(`SELECT count(*)::int AS n FROM "ModelVersion"`)).rows[0].n).toBe(0);
  });
});
