/**
 * No N+1: a page of runs with each run's epochs, dataset, version and the version's model costs the same few SQL statements
 * whether it holds 5 runs or 50 (DataLoader batches per request: src/graphql/loaders.ts), counted
 * on the real database connection.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { seedRuns } from './support/seed-runs';
import { withStatements } from './support/sql-count';

const PAGE = `query($first: Int!) {
  trainingRunsConnection(first: $first) {
    totalCount
    edges { cursor node { id status metrics { epoch loss valLoss } dataset { id name } modelVersion { id version model { name } } } }
  }
}`;

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  t = await createTenant(app, 'nplus1');
  const datasets = [await uploadCsv(t, 'x,y\n1,0\n2,1\n', 'one'), await uploadCsv(t, 'x,y\n1,0\n2,1\n', 'two')];
  const base = Date.UTC(2026, 1, 1);
  // Five models; each run produced one version of one of them.
  const models = [];
  for (let m = 0; m < 5; m++) models.push(await app.db.prisma.model.create({ data: { tenantId: t.tenantId, name: `m${m}` } }));
  const pipeline = { format: 'maas-pipeline/1', target: { name: 'y', task: 'binary', classes: ['0', '1'] }, datasetColumns: ['x', 'y'], columns: [] };
  for (let i = 0; i < 50; i++) {
    const [runId] = await seedRuns(app, t.tenantId, datasets[i % 2], [
      { modelName: `m${i % 5}`, createdAt: new Date(base + i * 1000), losses: Array.from({ length: 20 }, (_, e) => 1 / (e + 1)) },
    ]);
    await app.db.prisma.modelVersion.create({
      data: {
        tenantId: t.tenantId,
        modelId: models[i % 5].id,
        version: Math.floor(i / 5) + 1,
        trainingRunId: runId,
        task: 'binary',
        framework: 'tfjs-layers',
        topology: {},
        weights: Buffer.alloc(0),
        inputSchema: [],
        outputSchema: {},
        preprocessing: pipeline,
        metrics: {},
      },
    });
  }
});
afterAll(() => app?.stop());

it('reads a page of 50 runs with their metrics, datasets, versions and their models in as many statements as a page of 5', async () => {
  await gqlOk(t, PAGE, { first: 1 }); // warm: the API key is cached after its first use
  const five = await withStatements(app, () => gqlOk(t, PAGE, { first: 5 }));
  const fifty = await withStatements(app, () => gqlOk(t, PAGE, { first: 50 }));
  const edges = fifty.result.trainingRunsConnection.edges;
  expect(edges).toHaveLength(50);
  expect(edges.every((e: any) => e.node.metrics.length === 20 && ['one', 'two'].includes(e.node.dataset.name))).toBe(true);
  expect(edges.every((e: any) => e.node.modelVersion.model.name.startsWith('m'))).toBe(true);
  // Five tenant transactions (runs page + count; epochs; datasets; versions; models), each BEGIN,
  // RLS settings, its queries, COMMIT: 15 + 9 queries (Prisma reads an `include` with a second
  // query) = 24 today, whatever the page size. Without batching, 50 runs took 4 per run.
  expect(fifty.statements.length).toBe(five.statements.length);
  expect(fifty.statements.length).toBeLessThanOrEqual(25);
  console.log(`SQL statements for a page of 50 runs with metrics, dataset, version and model: ${fifty.statements.length}\n${fifty.statements.join('\n')}`);
});
