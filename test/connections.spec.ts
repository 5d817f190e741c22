/**
 * Relay connections (trainingRunsConnection, datasetsConnection): keyset paging both ways with
 * opaque cursors stable under inserts, totalCount, filters, tenant isolation of cursors, coded
 * errors for bad arguments, the deprecated lists still answering, metricHistory, and the progress
 * subscription's `afterEpoch` (replaying only what a chart has not read from metricHistory).
 */
import type { App } from '../src/app';
import { codeOf, collect, gql, gqlOk, wsClient } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { seedRuns } from './support/seed-runs';

const CSV = 'Glucose,Outcome\n1,0\n2,1\n3,0\n';
const RUNS = `query($first: Int, $after: String, $last: Int, $before: String, $status: RunStatus, $modelName: String, $createdAfter: DateTimeISO, $createdBefore: DateTimeISO) {
  trainingRunsConnection(first: $first, after: $after, last: $last, before: $before, status: $status, modelName: $modelName, createdAfter: $createdAfter, createdBefore: $createdBefore) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id modelName status } }
  }
}`;

let app: App;
let a: TenantBundle;
let b: TenantBundle;
let aRuns: string[]; // newest first
let bRuns: string[];
let datasetA: string;
const t0 = Date.UTC(2026, 0, 1);
const at = (minutes: number) => new Date(t0 + minutes * 60_000);

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  a = await createTenant(app, 'pages-a');
  b = await createTenant(app, 'pages-b');
  datasetA = await uploadCsv(a, CSV, 'alpha-set');
  const datasetB = await uploadCsv(b, CSV, 'beta-set');
  // Seven runs of A, two sharing a createdAt (the id breaks the tie), in mixed statuses.
  const minutes = [0, 1, 2, 2, 3, 4, 5];
  const ids = await seedRuns(
    app,
    a.tenantId,
    datasetA,
    minutes.map((m, i) => ({ modelName: i % 2 ? 'Churn-model' : 'fraud', status: i < 2 ? 'FAILED' : 'SUCCEEDED', createdAt: at(m) })),
  );
  const rows = await app.db.prisma.trainingRun.findMany({ where: { id: { in: ids } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  aRuns = rows.map((r) => r.id);
  bRuns = await seedRuns(app, b.tenantId, datasetB, [{ modelName: 'beta', createdAt: at(10) }]);
});
afterAll(() => app?.stop());

const page = async (t: TenantBundle, vars: Record<string, unknown>) => (await gqlOk(t, RUNS, vars)).trainingRunsConnection;
const ids = (p: any) => p.edges.map((e: any) => e.node.id);

it('pages forwards with first/after, newest first with ties broken by id, with totalCount and pageInfo', async () => {
  const p1 = await page(a, { first: 3 });
  expect([ids(p1), p1.totalCount, p1.pageInfo.hasNextPage, p1.pageInfo.hasPreviousPage]).toEqual([aRuns.slice(0, 3), 7, true, false]);
  expect(p1.pageInfo.endCursor).toBe(p1.edges[2].cursor);
  const p2 = await page(a, { first: 3, after: p1.pageInfo.endCursor });
  expect([ids(p2), p2.pageInfo.hasNextPage, p2.pageInfo.hasPreviousPage]).toEqual([aRuns.slice(3, 6), true, true]);
  const p3 = await page(a, { first: 3, after: p2.pageInfo.endCursor });
  expect([ids(p3), p3.pageInfo.hasNextPage, p3.pageInfo.hasPreviousPage]).toEqual([aRuns.slice(6), false, true]);
  // Opaque: no id, time or offset readable in the cursor as sent.
  for (const e of p1.edges) expect(e.cursor).not.toContain(e.node.id);
});

it('pages backwards with last/before', async () => {
  const end = await page(a, { last: 2 });
  expect([ids(end), end.pageInfo.hasPreviousPage, end.pageInfo.hasNextPage]).toEqual([aRuns.slice(5), true, false]);
  const before = await page(a, { last: 3, before: end.pageInfo.startCursor });
  expect([ids(before), before.pageInfo.hasPreviousPage, before.pageInfo.hasNextPage]).toEqual([aRuns.slice(2, 5), true, true]);
});

it('takes `after` and `before` together, with `first` or `last`: the rows between the cursors, then the first or last of them', async () => {
  const all = await page(a, { first: 7 });
  const [after, before] = [all.edges[0].cursor, all.edges[5].cursor]; // rows 1..4 lie between them
  const head = await page(a, { first: 2, after, before });
  expect([ids(head), head.pageInfo.hasNextPage, head.pageInfo.hasPreviousPage]).toEqual([aRuns.slice(1, 3), true, true]);
  const tail = await page(a, { last: 2, after, before });
  expect([ids(tail), tail.pageInfo.hasNextPage, tail.pageInfo.hasPreviousPage]).toEqual([aRuns.slice(3, 5), true, true]);
  const between = await page(a, { first: 10, after, before });
  expect([ids(between), between.totalCount]).toEqual([aRuns.slice(1, 5), 7]);
  // `before` the newest row and `after` nothing: no rows, and rows lie past `before`.
  const none = await page(a, { first: 3, before: all.edges[0].cursor });
  expect([ids(none), none.pageInfo.hasNextPage, none.pageInfo.hasPreviousPage]).toEqual([[], true, false]);
});

it("refuses another list's cursor with BAD_USER_INPUT naming the argument: a runs cursor is not a datasets cursor", async () => {
  const runCursor = (await page(a, { first: 1 })).pageInfo.endCursor;
  const q = 'query($after: String, $before: String) { datasetsConnection(first: 1, after: $after, before: $before) { totalCount } }';
  const r = await gql(a, q, { after: runCursor });
  expect([codeOf(r), r.errors?.[0].extensions?.field, r.errors?.[0].extensions?.list]).toEqual(['BAD_USER_INPUT', 'after', 'datasets']);
  expect(r.errors![0].message).toBe(`\`after\` is a cursor of the runs list, not of this datasets list: '${runCursor.slice(0, 57)}...' (use a cursor this list returned)`);
  const r2 = await gql(a, q, { before: runCursor });
  expect([codeOf(r2), r2.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'before']);
  // Its own list's cursor is taken.
  const dsCursor = (await gqlOk(a, '{ datasetsConnection(first: 1) { pageInfo { endCursor } } }')).datasetsConnection.pageInfo.endCursor;
  expect((await gqlOk(a, q, { after: dsCursor })).datasetsConnection.totalCount).toBeGreaterThanOrEqual(1);
});

it('keeps its place when a newer run is added between pages (keyset, not offsets)', async () => {
  const p1 = await page(a, { first: 2 });
  const [added] = await seedRuns(app, a.tenantId, datasetA, [{ modelName: 'late', createdAt: at(60) }]);
  try {
    const p2 = await page(a, { first: 2, after: p1.pageInfo.endCursor });
    expect(ids(p2)).toEqual(aRuns.slice(2, 4));
    expect(p2.totalCount).toBe(8);
  } finally {
    await app.db.prisma.trainingRun.delete({ where: { id: added } });
  }
});

it('filters by status, model name (part, any case) and creation range; totalCount counts the filtered rows', async () => {
  const failed = await page(a, { status: 'FAILED', first: 10 });
  expect([failed.totalCount, failed.edges.every((e: any) => e.node.status === 'FAILED')]).toEqual([2, true]);
  const churn = await page(a, { modelName: 'CHURN', first: 10 });
  expect([churn.totalCount, churn.edges.every((e: any) => e.node.modelName === 'Churn-model')]).toEqual([3, true]);
  const range = await page(a, { createdAfter: at(2).toISOString(), createdBefore: at(4).toISOString(), first: 10 });
  expect(range.totalCount).toBe(3); // minutes 2, 2 and 3
});

it("gives nothing of another tenant's for its cursor, and BAD_USER_INPUT naming `after` for a malformed one", async () => {
  const bPage = await page(b, { first: 1 });
  const bCursor = bPage.edges[0].cursor;
  // B's cursor in A's list: a position only; the rows are A's, none of B's.
  const mixed = await page(a, { first: 10, after: bCursor });
  expect(ids(mixed).some((id: string) => bRuns.includes(id))).toBe(false);
  expect(ids(mixed).every((id: string) => aRuns.includes(id))).toBe(true);
  // A's cursor in B's list shows only B's rows.
  const aCursor = (await page(a, { first: 1 })).pageInfo.endCursor;
  expect(ids(await page(b, { last: 10, before: aCursor })).every((id: string) => bRuns.includes(id))).toBe(true);

  for (const bad of ['not-a-cursor!', 'Zm9v', Buffer.from(`c2:runs:1:${'x'.repeat(36)}`).toString('base64url'), '']) {
    const r = await gql(a, RUNS, { first: 2, after: bad });
    expect([bad, codeOf(r), r.errors?.[0].extensions?.field]).toEqual([bad, 'BAD_USER_INPUT', 'after']);
    expect(r.errors![0].message).toContain('`after`');
  }
  const both = await gql(a, RUNS, { first: 2, last: 2 });
  expect(codeOf(both)).toBe('BAD_USER_INPUT');
  const big = await gql(a, RUNS, { first: 101 });
  expect([codeOf(big), big.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'first']);
});

it('datasetsConnection pages and filters by name; the deprecated lists still answer', async () => {
  await uploadCsv(a, CSV, 'second-ALPHA');
  const all = (await gqlOk(a, '{ datasetsConnection(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }')).datasetsConnection;
  expect([all.totalCount, all.pageInfo.hasNextPage, all.edges[0].node.name]).toEqual([2, true, 'second-ALPHA']);
  const next = (await gqlOk(a, 'query($after: String) { datasetsConnection(first: 1, after: $after) { edges { node { name } } } }', { after: all.pageInfo.endCursor }))
    .datasetsConnection;
  expect(next.edges.map((e: any) => e.node.name)).toEqual(['alpha-set']);
  const named = (await gqlOk(a, '{ datasetsConnection(name: "second") { totalCount } }')).datasetsConnection;
  expect(named.totalCount).toBe(1);
  // LIKE's wildcards are plain characters in a name filter: `_` and `%` match only themselves.
  for (const wild of ['s_cond', '%', 'alpha_set', '\\']) {
    expect([wild, (await gqlOk(a, '{ datasetsConnection(name: $n) { totalCount } }'.replace('$n', JSON.stringify(wild)))).datasetsConnection.totalCount]).toEqual([wild, 0]);
  }
  expect((await gqlOk(a, '{ datasetsConnection(name: "a-s") { totalCount } }')).datasetsConnection.totalCount).toBe(1);
  await uploadCsv(a, CSV, 'odd_%\\name');
  expect((await gqlOk(a, '{ datasetsConnection(name: "D_%\\\\N") { totalCount } }')).datasetsConnection.totalCount).toBe(1);
  expect((await gqlOk(a, '{ datasets(take: 5) { name } trainingRuns(take: 3) { id } }')).trainingRuns).toHaveLength(3);
});

it('metricHistory down-samples a long run, keeping the ends and a spike; bad keys and samples are BAD_USER_INPUT naming them', async () => {
  const losses = Array.from({ length: 1000 }, (_, i) => 1 / (i + 1));
  losses[500] = 5; // a divergence a chart must not lose
  const [runId] = await seedRuns(app, a.tenantId, datasetA, [{ modelName: 'long', createdAt: at(100), losses }]);
  const q = 'query($id: ID!, $keys: [String!]!, $samples: Int!) { metricHistory(runId: $id, keys: $keys, samples: $samples) { key totalPoints points { epoch value } } }';
  const [loss, val] = (await gqlOk(a, q, { id: runId, keys: ['loss', 'valLoss'], samples: 50 })).metricHistory;
  expect([loss.key, loss.totalPoints, loss.points.length, val.key, val.points.length]).toEqual(['loss', 1000, 50, 'valLoss', 50]);
  expect([loss.points[0].epoch, loss.points[49].epoch]).toEqual([1, 1000]);
  expect(loss.points).toContainEqual({ epoch: 501, value: 5 });
  const bad = await gql(a, q, { id: runId, keys: ['los'], samples: 50 });
  expect([codeOf(bad), bad.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'keys']);
  const few = await gql(a, q, { id: runId, keys: ['loss'], samples: 2 });
  expect([codeOf(few), few.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'samples']);
  expect(codeOf(await gql(b, q, { id: runId, keys: ['loss'], samples: 50 }))).toBe('NOT_FOUND');
});

it('trainingProgress(afterEpoch) replays only the stored epochs after it (all of them when it is past the last); a negative one is BAD_USER_INPUT', async () => {
  // What a chart does: metricHistory for the epochs so far, then the subscription for the rest.
  const [runId] = await seedRuns(app, a.tenantId, datasetA, [{ modelName: 'replay', createdAt: at(200), losses: [0.9, 0.8, 0.7, 0.6, 0.5] }]);
  const sub = 'subscription($id: ID!, $after: Int) { trainingProgress(runId: $id, afterEpoch: $after) { kind epoch loss replayed status } }';
  const events = async (after?: number) => {
    const client = wsClient(a.wsUrl, a.token);
    try {
      const results = await collect<{ trainingProgress: Record<string, unknown> }>(client, sub, { id: runId, after }).done;
      return results.map((e) => (e.data?.trainingProgress ?? e.errors?.[0]) as Record<string, any> | undefined);
    } finally {
      await client.dispose();
    }
  };
  expect(await events(3)).toEqual([
    { kind: 'EPOCH', epoch: 4, loss: 0.6, replayed: true, status: 'RUNNING' },
    { kind: 'EPOCH', epoch: 5, loss: 0.5, replayed: true, status: 'RUNNING' },
    { kind: 'FINAL', epoch: null, loss: null, replayed: null, status: 'SUCCEEDED' },
  ]);
  expect((await events(5)).map((e) => e?.kind)).toEqual(['FINAL']);
  expect((await events()).map((e) => e?.epoch ?? e?.kind)).toEqual([1, 2, 3, 4, 5, 'FINAL']);
  expect((await events(9)).map((e) => e?.epoch ?? e?.kind)).toEqual([1, 2, 3, 4, 5, 'FINAL']); // the run has fewer: every one
  const [refused] = await events(-1);
  expect([refused?.message, refused?.extensions?.code, refused?.extensions?.field]).toEqual([
    'afterEpoch must be a whole number of 0 or more, got -1',
    'BAD_USER_INPUT',
    'afterEpoch',
  ]);
});

it('modelsConnection and auditLogConnection page with totalCount; their old lists are deprecated, not gone', async () => {
  for (const name of ['first-model', 'second-model', 'other']) await app.db.prisma.model.create({ data: { tenantId: a.tenantId, name } });
  const models = (await gqlOk(a, '{ modelsConnection(first: 2, name: "MODEL") { totalCount pageInfo { hasNextPage } edges { node { name versions { id } } } } }')).modelsConnection;
  expect([models.totalCount, models.pageInfo.hasNextPage, models.edges.map((e: any) => e.node.name).sort()]).toEqual([2, false, ['first-model', 'second-model']]);
  const audit = (await gqlOk(a, '{ auditLogConnection(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { node { action } } } }')).auditLogConnection;
  expect(audit.totalCount).toBeGreaterThanOrEqual(2); // tenant created, datasets uploaded
  expect(audit.pageInfo.hasNextPage).toBe(true);
  const next = (await gqlOk(a, 'query($c: String) { auditLogConnection(first: 1, after: $c) { pageInfo { hasPreviousPage } } }', { c: audit.pageInfo.endCursor }))
    .auditLogConnection;
  expect(next.pageInfo.hasPreviousPage).toBe(true);
  const schema = (await gqlOk(a, '{ __type(name: "Query") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }')).__type.fields;
  const deprecated = Object.fromEntries(schema.filter((f: any) => f.isDeprecated).map((f: any) => [f.name, f.deprecationReason]));
  for (const [old, replacement] of [
    ['trainingRuns', 'trainingRunsConnection'],
    ['datasets', 'datasetsConnection'],
    ['models', 'modelsConnection'],
    ['auditLog', 'auditLogConnection'],
  ]) {
    expect(deprecated[old]).toContain(replacement);
  }
});

it('apiKeysConnection and batchPredictionsConnection page newest first and filter', async () => {
  await gqlOk(a, 'mutation { createApiKey(input: { name: "reader-key", scopes: [DATASETS_READ] }) { apiKey { id } } }');
  const keys = (await gqlOk(a, '{ apiKeysConnection(first: 1) { totalCount pageInfo { hasNextPage } edges { node { name prefix } } } }')).apiKeysConnection;
  expect([keys.totalCount, keys.pageInfo.hasNextPage, keys.edges[0].node.name]).toEqual([2, true, 'reader-key']);
  expect((await gqlOk(a, '{ apiKeysConnection(name: "READER") { totalCount } }')).apiKeysConnection.totalCount).toBe(1);

  for (const status of ['QUEUED', 'SUCCEEDED', 'FAILED'] as const) {
    await app.db.prisma.batchPrediction.create({ data: { tenantId: a.tenantId, datasetId: datasetA, rowCount: 3, status } });
  }
  const batches = (await gqlOk(a, '{ batchPredictionsConnection(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status } } } }'))
    .batchPredictionsConnection;
  expect([batches.totalCount, batches.edges.length, batches.pageInfo.hasNextPage]).toEqual([3, 2, true]);
  const failed = (await gqlOk(a, '{ batchPredictionsConnection(status: FAILED) { totalCount edges { node { status } } } }')).batchPredictionsConnection;
  expect([failed.totalCount, failed.edges[0].node.status]).toEqual([1, 'FAILED']);
  expect((await gqlOk(b, '{ batchPredictionsConnection { totalCount } }')).batchPredictionsConnection.totalCount).toBe(0);
});
