/**
 * Row-level security on its own: raw SQL through the application's tenant role (maas_tenant) with
 * tenant A's setting returns none of B's rows, even with no tenant filter in the query.
 */
import pg from 'pg';
import type { App } from '../../src/app';
import { startTestApp } from '../support/app';
import { workerDatabaseUrl } from '../support/database';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';

let app: App;
let a: TenantBundle;
let b: TenantBundle;
let client: pg.Client;

beforeAll(async () => {
  app = await startTestApp();
  a = await createTenant(app, 'rls-a');
  b = await createTenant(app, 'rls-b');
  await uploadCsv(a, 'x,y\n1,2\n', 'a-data');
  await uploadCsv(b, 'x,y\n3,4\n', 'b-data');
  await uploadCsv(b, 'x,y\n5,6\n', 'b-data-2');
  client = new pg.Client({ connectionString: workerDatabaseUrl() });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await app.stop();
});

/** Runs `sql` as the tenant role with `tenantId` set (or unset), like src/lib/tenant-tx.ts. */
async function asTenant(tenantId: string | null, sql: string): Promise<pg.QueryResult> {
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL ROLE maas_tenant');
    if (tenantId) await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    return await client.query(sql);
  } finally {
    await client.query('ROLLBACK');
  }
}

it("sees only the tenant's own rows without any WHERE clause", async () => {
  const rows = (await asTenant(a.tenantId, 'SELECT name, "tenantId" FROM "Dataset"')).rows;
  expect(rows).toEqual([{ name: 'a-data', tenantId: a.tenantId }]);
  expect((await asTenant(b.tenantId, 'SELECT name FROM "Dataset" ORDER BY name')).rows.map((r) => r.name)).toEqual(['b-data', 'b-data-2']);
  expect((await asTenant(a.tenantId, 'SELECT id FROM "Tenant"')).rows).toEqual([{ id: a.tenantId }]);
  expect((await asTenant(a.tenantId, 'SELECT count(*)::int AS n FROM "ApiKey"')).rows).toEqual([{ n: 1 }]);
});

it('sees nothing when no tenant is set', async () => {
  expect((await asTenant(null, 'SELECT count(*)::int AS n FROM "Dataset"')).rows).toEqual([{ n: 0 }]);
});

it('cannot write rows into another tenant or move its rows', async () => {
  await expect(asTenant(a.tenantId, `INSERT INTO "Model" (id, "tenantId", name) VALUES ('m1', '${b.tenantId}', 'planted')`)).rejects.toThrow(/row-level security/);
  const moved = await asTenant(a.tenantId, `UPDATE "Dataset" SET name = 'hijacked' WHERE "tenantId" = '${b.tenantId}'`);
  expect(moved.rowCount).toBe(0);
});

it('the tenant role cannot bypass RLS and is not the tables owner', async () => {
  const role = (await client.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'maas_tenant'`)).rows[0];
  expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
  const owners = (await client.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`)).rows.map((r) => r.tableowner);
  expect(owners).not.toContain('maas_tenant');
  const rls = (await client.query(`SELECT relname FROM pg_class WHERE relrowsecurity AND relnamespace = 'public'::regnamespace ORDER BY relname`)).rows.map((r) => r.relname);
  expect(rls).toEqual([
    'ApiKey',
    'AuditLog',
    'BatchPrediction',
    'Dataset',
    'EpochMetric',
    'Model',
    'ModelAlias',
    'ModelEvaluation',
    'ModelStageTransition',
    'ModelVersion',
    'Sweep',
    'SweepTrial',
    'Tenant',
    'TenantLimits',
    'TrainingRun',
  ]);
});
