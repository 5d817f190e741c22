/**
 * Archiving is reversible until the retention ends (issue 14): a dataset deleted with `force` while
 * a version uses it is listed by archivedDatasetsConnection (newest archive first, a page at a
 * time, filtered) with its purge date and brought back by
 * restoreDataset (same id, rows and checksum; trainable again); the worker's purge empties it after
 * DATASET_ARCHIVE_RETENTION_DAYS, after which restore is refused; each step audited.
 */
import pg from 'pg';
import type { App } from '../src/app';
import { gql, gqlOk } from '../src/client/graphql-client';
import { purgeOnce } from '../src/jobs/dataset-purge';
import { createPrisma } from '../src/lib/db';
import type { Logger } from '../src/lib/logger';
import { createRepos } from '../src/modules/repos';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { workerDatabaseUrl } from './support/database';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { trainVersion } from './support/training';

let app: App;
let t: TenantBundle;
let other: TenantBundle;
let db: pg.Client;
const SPEC = { ...KERAS_SPEC, epochs: 1 };
const DELETE = 'mutation($id: ID!) { deleteDataset(id: $id, force: true) }';
const RESTORE = 'mutation($id: ID!) { restoreDataset(id: $id) { id name rowCount checksum } }';
const ARCHIVED_PAGE = `query($first: Int, $after: String, $last: Int, $before: String, $name: String, $restorable: Boolean, $archivedAfter: DateTimeISO, $archivedBefore: DateTimeISO) {
  archivedDatasetsConnection(first: $first, after: $after, last: $last, before: $before, name: $name, restorable: $restorable, archivedAfter: $archivedAfter, archivedBefore: $archivedBefore) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { dataset { id name checksum } archivedAt purgeAfter purgedAt restorable } }
  }
}`;
/** The first page of the archive list's nodes (the connection). */
const archived = async (caller: TenantBundle, vars: Record<string, unknown> = {}) => (await gqlOk<any>(caller, ARCHIVED_PAGE, vars)).archivedDatasetsConnection;
const ARCHIVED = '{ archivedDatasetsConnection { edges { node { dataset { id } } } } }';
const code = (r: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'archive');
  other = await createTenant(app, 'archive-other');
  db = new pg.Client({ connectionString: workerDatabaseUrl() });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await app.stop();
});

const stored = async (id: string) =>
  (await db.query(`SELECT length(content)::int AS bytes, "sizeBytes", "archivedAt", "purgedAt" FROM "Dataset" WHERE id = $1`, [id])).rows[0] as {
    bytes: number;
    sizeBytes: number;
    archivedAt: Date | null;
    purgedAt: Date | null;
  };
const actions = async (id: string) =>
  (await db.query(`SELECT action, "actorKind" FROM "AuditLog" WHERE "targetId" = $1 ORDER BY "createdAt"`, [id])).rows.map((r) => `${r.action}:${r.actorKind}`);

it('lists an archived dataset with its purge date, restores it as it was, then purges it after the retention', async () => {
  const id = await uploadCsv(t, PIMA_CSV, 'pima');
  await trainVersion(t, { datasetId: id, targetColumn: 'Outcome', modelName: 'uses-pima', spec: SPEC });
  const checksum = (await gqlOk<any>(t, 'query($id: ID!) { dataset(id: $id) { checksum } }', { id })).dataset.checksum;
  expect((await gqlOk<{ deleteDataset: boolean }>(t, DELETE, { id })).deleteDataset).toBe(true);

  // Archived: hidden, but its rows are kept (and still counted) until the purge.
  expect(await stored(id)).toMatchObject({ bytes: PIMA_CSV.length, sizeBytes: PIMA_CSV.length, purgedAt: null });
  expect(code(await gql(t, 'query($id: ID!) { dataset(id: $id) { id } }', { id }))).toBe('NOT_FOUND');
  const {
    edges: [{ node: listed }],
  } = await archived(t);
  expect(listed).toMatchObject({ dataset: { id, name: 'pima', checksum }, purgedAt: null, restorable: true });
  expect(new Date(listed.purgeAfter).getTime() - new Date(listed.archivedAt).getTime()).toBe(30 * 86_400_000);
  // Another tenant sees nothing and cannot restore it.
  expect((await archived(other)).edges).toEqual([]);
  expect(code(await gql(other, RESTORE, { id }))).toBe('NOT_FOUND');

  const restored = (await gqlOk<any>(t, RESTORE, { id })).restoreDataset;
  expect(restored).toEqual({ id, name: 'pima', rowCount: 768, checksum });
  expect((await archived(t)).edges).toEqual([]);
  const again = await trainVersion(t, { datasetId: id, targetColumn: 'Outcome', modelName: 'uses-pima', spec: SPEC });
  expect(again.version).toBe(2);
  const notArchived = await gql(t, RESTORE, { id });
  expect([code(notArchived), notArchived.errors?.[0].message]).toEqual(['INVALID_STATE', "Dataset 'pima' is not archived; there is nothing to restore"]);

  // Archived again, then the purge runs as if 31 days had passed.
  await gqlOk(t, DELETE, { id });
  const { prisma, pool } = createPrisma(workerDatabaseUrl());
  try {
    const r = createRepos(prisma);
    const quiet = { info: () => undefined, warn: () => undefined } as unknown as Logger;
    const options = { prisma, datasets: r.datasets, audit: r.audit, log: quiet, retentionDays: 30 };
    expect(await purgeOnce(options, new Date(Date.now() + 29 * 86_400_000))).not.toContain(id);
    expect(await purgeOnce(options, new Date(Date.now() + 31 * 86_400_000))).toContain(id);
    expect(await purgeOnce(options, new Date(Date.now() + 31 * 86_400_000))).not.toContain(id);
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
  const after = await stored(id);
  expect(after).toMatchObject({ bytes: 0, sizeBytes: 0 });
  expect(after.purgedAt).toBeInstanceOf(Date);
  expect((await archived(t)).edges[0].node).toMatchObject({ dataset: { id }, restorable: false, purgedAt: after.purgedAt!.toISOString() });
  // The deprecated list (take) still answers the same.
  expect((await gqlOk<any>(t, '{ archivedDatasets(take: 5) { dataset { id } restorable } }')).archivedDatasets).toEqual([{ dataset: { id }, restorable: false }]);
  const purged = await gql(t, RESTORE, { id });
  expect(code(purged)).toBe('INVALID_STATE');
  expect(purged.errors?.[0].message).toBe("Dataset 'pima' cannot be restored: its rows were purged after the 30-day retention (DATASET_ARCHIVE_RETENTION_DAYS); upload it again");
  expect(await actions(id)).toEqual(['dataset.uploaded:apiKey', 'dataset.archived:apiKey', 'dataset.restored:apiKey', 'dataset.archived:apiKey', 'dataset.purged:system']);
}, 120_000);

it('needs datasets:write to restore and datasets:read to list', async () => {
  const key = (await gqlOk<any>(t, 'mutation { createApiKey(input: { name: "predict-only", scopes: [PREDICT] }) { key } }')).createApiKey.key as string;
  const narrow = { url: t.url, token: key };
  expect(code(await gql(narrow, RESTORE, { id: '00000000-0000-0000-0000-000000000000' }))).toBe('FORBIDDEN');
  expect(code(await gql(narrow, ARCHIVED))).toBe('FORBIDDEN');
});

it('pages archives newest archive first (not by upload time), ties broken by id, filtered by name, restorability and archive time', async () => {
  const p = await createTenant(app, 'archive-pages');
  const ids: string[] = [];
  for (const name of ['alpha', 'beta', 'gamma', 'delta']) ids.push(await uploadCsv(p, 'x,y\n1,0\n2,1\n', name));
  // Archived in the opposite order of upload; beta and gamma in the same instant; delta purged.
  const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000; // recent: well inside the retention, so the purge job leaves them
  const archivedAt = [t0 + 3_000, t0 + 1_000, t0 + 1_000, t0];
  for (const [i, id] of ids.entries()) {
    await db.query(`UPDATE "Dataset" SET "archivedAt" = $2, "purgedAt" = $3 WHERE id = $1`, [id, new Date(archivedAt[i]), i === 3 ? new Date(t0 + 5_000) : null]);
  }
  const tied = [ids[1], ids[2]].sort().reverse(); // newest first, then id descending
  const order = [ids[0], ...tied, ids[3]];
  const nodeIds = (page: any) => page.edges.map((e: any) => e.node.dataset.id);

  const p1 = await archived(p, { first: 2 });
  expect([nodeIds(p1), p1.totalCount, p1.pageInfo.hasNextPage, p1.pageInfo.hasPreviousPage]).toEqual([order.slice(0, 2), 4, true, false]);
  expect(p1.edges[0].node).toMatchObject({ archivedAt: new Date(t0 + 3_000).toISOString(), restorable: true });
  expect(p1.edges[0].cursor).not.toContain(ids[0]);
  const p2 = await archived(p, { first: 2, after: p1.pageInfo.endCursor });
  expect([nodeIds(p2), p2.pageInfo.hasNextPage, p2.pageInfo.hasPreviousPage]).toEqual([order.slice(2), false, true]);
  const back = await archived(p, { last: 3, before: p2.pageInfo.endCursor });
  expect([nodeIds(back), back.pageInfo.hasPreviousPage, back.pageInfo.hasNextPage]).toEqual([order.slice(0, 3), false, true]);

  // An archive added between pages neither repeats nor skips rows.
  const late = await uploadCsv(p, 'x,y\n1,0\n', 'epsilon');
  await db.query(`UPDATE "Dataset" SET "archivedAt" = $2 WHERE id = $1`, [late, new Date(t0 + 9_000)]);
  const p2again = await archived(p, { first: 2, after: p1.pageInfo.endCursor });
  expect([nodeIds(p2again), p2again.totalCount]).toEqual([order.slice(2), 5]);

  const restorable = await archived(p, { restorable: true });
  expect([restorable.totalCount, nodeIds(restorable).includes(ids[3])]).toEqual([4, false]);
  const purged = await archived(p, { restorable: false });
  expect([nodeIds(purged), purged.edges[0].node.restorable]).toEqual([[ids[3]], false]);
  expect(nodeIds(await archived(p, { name: 'ALP' }))).toEqual([ids[0]]);
  const window = await archived(p, { archivedAfter: new Date(t0 + 1_000).toISOString(), archivedBefore: new Date(t0 + 3_000).toISOString() });
  expect(nodeIds(window)).toEqual(tied);
  // Another tenant's cursor shows nothing of this tenant; a cursor not of ours is refused naming `after`.
  expect((await archived(other, { first: 2, after: p1.pageInfo.endCursor })).edges).toEqual([]);
  const bad = await gql(p, ARCHIVED_PAGE, { after: 'nope' });
  expect([code(bad), bad.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'after']);
});
