/**
 * Model.versionsConnection: a model's versions newest first, a page at a time (Relay), with
 * totalCount, paging both ways, and coded errors for bad paging arguments.
 */
import type { App } from '../src/app';
import { codeOf, gql, gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';

const VERSIONS = `query($first: Int, $after: String, $last: Int, $before: String) { model(name: "paged") {
  versionsConnection(first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor } edges { cursor node { version modelName } }
  }
} }`;

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  t = await createTenant(app, 'versions-pages');
  const other = await createTenant(app, 'versions-other');
  const pipeline = { format: 'maas-pipeline/1', target: { name: 'y', task: 'binary', classes: ['0', '1'] }, datasetColumns: ['x', 'y'], columns: [] };
  const base = Date.UTC(2026, 2, 1);
  for (const [tenantId, count] of [
    [t.tenantId, 5],
    [other.tenantId, 2],
  ] as const) {
    const model = await app.db.prisma.model.create({ data: { tenantId, name: 'paged' } });
    for (let v = 1; v <= count; v++) {
      await app.db.prisma.modelVersion.create({
        data: {
          tenantId,
          modelId: model.id,
          version: v,
          task: 'binary',
          framework: 'tfjs-layers',
          topology: {},
          weights: Buffer.alloc(0),
          inputSchema: [],
          outputSchema: {},
          preprocessing: pipeline,
          metrics: {},
          createdAt: new Date(base + v * 1000),
        },
      });
    }
  }
});
afterAll(() => app?.stop());

const page = async (vars: Record<string, unknown>) => (await gqlOk(t, VERSIONS, vars)).model.versionsConnection;
const versions = (p: { edges: { node: { version: number } }[] }) => p.edges.map((e) => e.node.version);

it("pages forward through the model's own versions, newest first, with totalCount", async () => {
  const one = await page({ first: 2 });
  expect([versions(one), one.totalCount, one.pageInfo.hasNextPage, one.pageInfo.hasPreviousPage]).toEqual([[5, 4], 5, true, false]);
  const two = await page({ first: 2, after: one.pageInfo.endCursor });
  expect([versions(two), two.pageInfo.hasNextPage, two.pageInfo.hasPreviousPage]).toEqual([[3, 2], true, true]);
  const three = await page({ first: 2, after: two.pageInfo.endCursor });
  expect([versions(three), three.pageInfo.hasNextPage]).toEqual([[1], false]);
  expect(one.edges[0].node.modelName).toBe('paged');
});

it('pages backward with last/before', async () => {
  const all = await page({});
  expect(versions(all)).toEqual([5, 4, 3, 2, 1]);
  const back = await page({ last: 2, before: all.edges[3].cursor }); // before version 2: the two newer next to it
  expect([versions(back), back.pageInfo.hasPreviousPage, back.pageInfo.hasNextPage]).toEqual([[4, 3], true, true]);
});

it('refuses bad paging arguments with BAD_USER_INPUT naming the argument', async () => {
  const r = await gql(t, VERSIONS, { first: 101 });
  expect([codeOf(r), r.errors?.[0].message]).toEqual(['BAD_USER_INPUT', '`first` must be a whole number from 0 to 100, not 101']);
  expect(codeOf(await gql(t, VERSIONS, { first: 1, after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');
});

it("refuses another model's versions cursor, and a models-list cursor, naming the argument", async () => {
  await app.db.prisma.model.create({ data: { tenantId: t.tenantId, name: 'paged-two' } });
  const other = `query($after: String) { model(name: "paged-two") { versionsConnection(first: 1, after: $after) { totalCount } } }`;
  const cursor = (await page({ first: 1 })).pageInfo.endCursor;
  const r = await gql(t, other, { after: cursor });
  expect([codeOf(r), r.errors?.[0].extensions?.field, r.errors?.[0].extensions?.list]).toEqual(['BAD_USER_INPUT', 'after', 'versions']);
  expect(r.errors![0].message).toMatch(/^`after` is a cursor of another versions list \(of another object\), not of this versions list: '/);
  const modelsCursor = (await gqlOk(t, '{ modelsConnection(first: 1) { pageInfo { endCursor } } }')).modelsConnection.pageInfo.endCursor;
  const r2 = await gql(t, VERSIONS, { first: 1, before: modelsCursor });
  expect([codeOf(r2), r2.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'before']);
  expect(r2.errors![0].message).toMatch(/^`before` is a cursor of the models list, not of this versions list/);
});
