/**
 * One tenant queuing up to its quota does not make another tenant wait behind all of it (issue
 * #10, "one tenant degrading another"): a tenant's n-th queued job gets priority -(n-1), and workers
 * claim by priority, then age (pg-boss' fetch order), so another tenant's first job is claimed
 * before the first tenant's second. Without a worker here, the queued jobs are read in that order.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv } from './support/factories';
import { startRun } from './support/training';

let app: App;
beforeAll(async () => (app = await startTestApp({ WORKER_ENABLED: 'false', QUOTA_CONCURRENT_RUNS: '4' })));
afterAll(() => app.stop());

/** The queued jobs of `task` for these tenants, in the order a worker claims them. */
async function claimOrder(task: string, tenants: Record<string, string>): Promise<string[]> {
  const { rows } = await app.db.pool.query<{ tenant: string }>(
    `SELECT data->>'tenantId' AS tenant FROM pgboss.job WHERE name LIKE $1 AND state = 'created' AND data->>'tenantId' = ANY($2)
     ORDER BY priority DESC, created_on, id`,
    [`${task}.v%`, Object.values(tenants)],
  );
  const names = Object.fromEntries(Object.entries(tenants).map(([k, v]) => [v, k]));
  return rows.map((r) => names[r.tenant]);
}

it("claims another tenant's first training run before the first tenant's second, third and fourth", async () => {
  const a = await createTenant(app, 'greedy');
  const b = await createTenant(app, 'modest');
  const aData = await uploadCsv(a, PIMA_CSV, 'pima');
  const bData = await uploadCsv(b, PIMA_CSV, 'pima');
  for (let i = 0; i < 4; i++) await startRun(a, aData, `m${i}`, { ...KERAS_SPEC, epochs: 1 });
  await startRun(b, bData, 'm', { ...KERAS_SPEC, epochs: 1 });
  expect(await claimOrder('training-run', { a: a.tenantId, b: b.tenantId })).toEqual(['a', 'b', 'a', 'a', 'a']);
});

it('does the same for batch predictions', async () => {
  const a = await createTenant(app, 'greedy');
  const b = await createTenant(app, 'modest');
  const aData = await uploadCsv(a, PIMA_CSV, 'pima');
  const bData = await uploadCsv(b, PIMA_CSV, 'pima');
  await Promise.all([seedVersion(a.tenantId), seedVersion(b.tenantId)]);
  const start = (t: typeof a, d: string) => gqlOk(t, 'mutation($d: ID!) { startBatchPrediction(model: "m", datasetId: $d) { id } }', { d });
  for (let i = 0; i < 3; i++) await start(a, aData);
  await start(b, bData);
  expect(await claimOrder('batch-prediction', { a: a.tenantId, b: b.tenantId })).toEqual(['a', 'b', 'a', 'a']);
});

/** A model version 'm' for the tenant, written directly (no worker trains here; the batches are never run). */
async function seedVersion(tenantId: string) {
  const empty = { task: 'binary', framework: 'tfjs-layers', topology: {}, weights: Buffer.alloc(0), inputSchema: [], outputSchema: {}, preprocessing: {}, metrics: {} };
  await app.db.prisma.model.create({ data: { tenantId, name: 'm', versions: { create: { tenantId, version: 1, ...empty } } } });
}
