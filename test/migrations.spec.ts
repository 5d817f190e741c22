/**
 * The committed SQL migrations and prisma/schema.prisma describe the same tables and columns
 * (the migrations are hand-written for machines without Prisma's schema engine).
 */
import pg from 'pg';
import { Prisma } from '../src/generated/prisma/client';
import { migrate } from '../src/lib/migrate';
import { workerDatabaseUrl } from './support/database';
import { withDatabaseBefore } from './support/migrated-before';

it('creates every model and scalar field of schema.prisma, and applying again is a no-op', async () => {
  const url = workerDatabaseUrl();
  await migrate(url);
  expect((await migrate(url)).applied).toEqual([]);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const actual = new Map<string, Set<string>>();
    for (const r of rows) {
      if (!actual.has(r.table_name)) actual.set(r.table_name, new Set());
      actual.get(r.table_name)!.add(r.column_name);
    }
    for (const model of Object.values(Prisma.ModelName)) {
      const fields = Object.values((Prisma as unknown as Record<string, Record<string, string>>)[`${model}ScalarFieldEnum`]);
      expect([model, [...(actual.get(model) ?? [])].sort()]).toEqual([model, [...fields].sort()]);
    }
    const tables = [...actual.keys()].filter((t) => t !== '_prisma_migrations').sort();
    expect(tables).toEqual([...Object.values(Prisma.ModelName)].sort());
  } finally {
    await client.end();
  }
});

it('makes tenant names unique without regard to case, renaming existing case-duplicates but the oldest', async () => {
  await withDatabaseBefore('case', '20261205000000_tenant_name_case', async ({ client, migrateAll }) => {
    await client.query(`INSERT INTO "Tenant" (id, name, "createdAt") VALUES
      ('aaaaaaaa-1', 'Acme', '2026-01-01'), ('bbbbbbbb-2', 'acme', '2026-01-02'), ('cccccccc-3', 'ACME', '2026-01-03'), ('dddddddd-4', 'Other', '2026-01-01')`);
    await migrateAll();
    const { rows } = await client.query<{ id: string; name: string }>(`SELECT id, name FROM "Tenant" ORDER BY id`);
    expect(rows).toEqual([
      { id: 'aaaaaaaa-1', name: 'Acme' },
      { id: 'bbbbbbbb-2', name: 'acme (bbbbbbbb)' },
      { id: 'cccccccc-3', name: 'ACME (cccccccc)' },
      { id: 'dddddddd-4', name: 'Other' },
    ]);
    await expect(client.query(`INSERT INTO "Tenant" (id, name) VALUES ('e', 'oTHER')`)).rejects.toMatchObject({ code: '23505', constraint: 'Tenant_name_lower_key' });
  });
});

it('removes the cells of deleted and archived datasets from batch results and evaluation samples made before deleteDataset did (review F12)', async () => {
  await withDatabaseBefore('batch_cells', '20261207200000_batch_results_without_deleted_cells', async ({ client, migrateAll }) => {
    await client.query(`INSERT INTO "Tenant" (id, name) VALUES ('t', 'acme')`);
    const dataset = `INSERT INTO "Dataset" (id, "tenantId", name, "sizeBytes", "rowCount", "hasHeader", delimiter, columns, content, "archivedAt") VALUES ($1, 't', $1, 3, 1, true, ',', '[]', '\\x61', $2)`;
    await client.query(dataset, ['live', null]);
    await client.query(dataset, ['archived', new Date()]);
    const batch = `INSERT INTO "BatchPrediction" (id, "tenantId", "datasetId", status, result, "predictionsOnly") VALUES ($1, 't', $2, 'SUCCEEDED', $3, $4)`;
    const cells = Buffer.from('"a"\n');
    const only = Buffer.from('"row"\n');
    await client.query(batch, ['of-live', 'live', cells, only]);
    await client.query(batch, ['of-archived', 'archived', cells, only]);
    await client.query(batch, ['of-deleted', null, cells, only]);
    await client.query(batch, ['old-of-deleted', null, cells, null]);
    await client.query(batch, ['old-of-live', 'live', cells, null]);
    await client.query(`INSERT INTO "Model" (id, "tenantId", name) VALUES ('m', 't', 'm')`);
    await client.query(`INSERT INTO "ModelVersion" (id, "tenantId", "modelId", version, task, framework, topology, weights, "inputSchema", "outputSchema", preprocessing, metrics)
      VALUES ('v', 't', 'm', 1, 'regression', 'decision-tree', '{}', '\\x', '{}', '{}', '{}', '{}')`);
    const evaluation = `INSERT INTO "ModelEvaluation" (id, "tenantId", "modelVersionId", "datasetId", status, metrics, "startedByKind", "startedById") VALUES ($1, 't', 'v', $2, 'SUCCEEDED', $3, 'apiKey', 'k')`;
    const sample = JSON.stringify({
      task: 'regression',
      testPredictions: [
        { actual: 7, predicted: 6.5 },
        { actual: 9, predicted: 8 },
      ],
    });
    await client.query(evaluation, ['e-live', 'live', sample]);
    await client.query(evaluation, ['e-archived', 'archived', sample]);
    await client.query(evaluation, ['e-deleted', null, sample]);
    await migrateAll();
    const evaluations = await client.query<{ id: string; metrics: unknown }>(`SELECT id, metrics FROM "ModelEvaluation" ORDER BY id`);
    const without = {
      task: 'regression',
      testPredictions: [
        { actual: null, predicted: 6.5 },
        { actual: null, predicted: 8 },
      ],
    };
    expect(evaluations.rows).toEqual([
      { id: 'e-archived', metrics: without },
      { id: 'e-deleted', metrics: without },
      { id: 'e-live', metrics: JSON.parse(sample) },
    ]);
    const { rows } = await client.query<{ id: string; result: Buffer | null; predictionsOnly: Buffer | null }>(
      `SELECT id, result, "predictionsOnly" FROM "BatchPrediction" ORDER BY id`,
    );
    expect(rows.map((r) => [r.id, r.result?.toString() ?? null, r.predictionsOnly?.toString() ?? null])).toEqual([
      ['of-archived', null, '"row"\n'],
      ['of-deleted', null, '"row"\n'],
      ['of-live', '"a"\n', '"row"\n'],
      ['old-of-live', '"a"\n', null],
    ]);
  });
});
