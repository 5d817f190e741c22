/**
 * No N+1: a page of runs with each run's epochs and dataset costs the same few SQL statements
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
    edges { cursor node { id status metrics { epoch loss valLoss } dataset { id name } } }
  }
}`;

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  t = await createTenant(app, 'nplus1');
  const datasets = [await uploadCsv(t, 'x,y\n1,0\n2,1\n', 'one'), await uploadCsv(t, 'x,y\n1,0\n2,1\n', 'two')];
  const base = Date.UTC(2026, 1, 1);
  for (let i = 0; i < 50; i++) {
    await seedRuns(app, t.tenantId, datasets[i % 2], [{ modelName: `m${i}`, createdAt: new Date(base + i * 1000), losses: Array.from({ length: 20 }, (_, e) => 1 / (e + 1)) }]);
  }
});
afterAll(() => app?.stop());

it('reads a page of 50 runs with their metrics and datasets in as many statements as a page of 5', async () => {
  await gqlOk(t, PAGE, { first: 1 }); // warm: the API key is cached after its first use
  const five = await withStatements(app, () => gqlOk(t, PAGE, { first: 5 }));
  const fifty = await withStatements(app, () => gqlOk(t, PAGE, { first: 50 }));
  const edges = fifty.result.trainingRunsConnection.edges;
  expect(edges).toHaveLength(50);
  expect(edges.every((e: any) => e.node.metrics.length === 20 && ['one', 'two'].includes(e.node.dataset.name))).toBe(true);
  // Three tenant transactions (page + count, epochs, datasets), each BEGIN, RLS settings, its queries, COMMIT.
  expect(fifty.statements.length).toBe(five.statements.length);
  expect(fifty.statements.length).toBeLessThanOrEqual(14);
  console.log(`SQL statements for a page of 50 runs with metrics and dataset: ${fifty.statements.length}\n${fifty.statements.join('\n')}`);
});
