/**
 * Compute shared fairly (issue #14, "Compute that is shared fairly"; issue #10, "no way for one
 * tenant to degrade another's training"): a worker with TRAINING_SLOTS=2 trains two runs at once,
 * each on its own thread; a tenant never has more runs RUNNING than its maxRunningRuns; when a slot
 * frees, the tenant with the fewest running runs goes first (not the oldest queued run). The
 * claim's full order (ties, priority, concurrent workers) is in test/fair-claim.spec.ts. Orderings
 * are read from the runs' statuses and timestamps, never from wall-clock thresholds. Pre-emption is
 * off here (TRAINING_PREEMPT_AFTER_SECONDS=0): it has its own spec, test/training-preempt.spec.ts.
 */
import type { App } from '../src/app';
import { gql, gqlOk, type Caller } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, SLOW_NETWORK, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { ADMIN_SECRET } from './support/secrets';
import { firstProgressEvent, START_RUN, startRun, waitForRun } from './support/training';

/** Trains for minutes unless cancelled: every test cancels its long runs. */
const LONG = { ...SLOW_NETWORK, epochs: 1000, batchSize: 16 };
const SHORT = { ...KERAS_SPEC, epochs: 2 };
const SET_LIMITS = 'mutation($t: ID!, $l: TenantLimitsInput!) { setTenantLimits(tenantId: $t, limits: $l) { maxRunningRuns } }';
const CANCEL = 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }';

let app: App;
let admin: Caller;
beforeAll(async () => {
  app = await startTestApp({ TRAINING_SLOTS: '2', QUOTA_RUNNING_RUNS: '2', QUOTA_CONCURRENT_RUNS: '6', TRAINING_PREEMPT_AFTER_SECONDS: '0' });
  admin = { url: app.server.url, headers: { 'x-admin-secret': ADMIN_SECRET } };
});
afterAll(() => app.stop());

/** The runs' rows as stored (status and timestamps), by id. */
async function rows(ids: string[]) {
  const found = await app.db.prisma.trainingRun.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, createdAt: true, startedAt: true, finishedAt: true } });
  return Object.fromEntries(found.map((r) => [r.id, r]));
}

async function tenantWithData(name: string): Promise<[TenantBundle, string]> {
  const t = await createTenant(app, name);
  return [t, await uploadCsv(t, PIMA_CSV, 'pima')];
}

const cancelAll = (t: TenantBundle, ids: string[]) => Promise.all(ids.map((id) => gqlOk(t, CANCEL, { id })));

it("a tenant at its running limit leaves the free slot to another tenant, whose short run starts and succeeds while the first tenant's run trains", async () => {
  const [a, aData] = await tenantWithData('busy');
  const [b, bData] = await tenantWithData('quick');
  await gqlOk(admin, SET_LIMITS, { t: a.tenantId, l: { maxRunningRuns: 1 } });
  const aRuns: string[] = [];
  for (let i = 0; i < 3; i++) aRuns.push((await startRun(a, aData, `long${i}`, LONG)).id);
  await firstProgressEvent(a, aRuns[0]); // A's first run trains on one slot; A's others wait behind its limit
  const bRun = (await startRun(b, bData, 'short', SHORT)).id;
  const done = await waitForRun(b, bRun);
  expect(done).toMatchObject({ status: 'SUCCEEDED', modelVersion: { version: 1 } });

  const r = await rows([...aRuns, bRun]);
  // B ran beside A's first run, and finished while it still trains.
  expect(r[aRuns[0]]).toMatchObject({ status: 'RUNNING', finishedAt: null });
  expect(r[bRun].startedAt!.getTime()).toBeGreaterThanOrEqual(r[aRuns[0]].startedAt!.getTime());
  expect(r[bRun].finishedAt).not.toBeNull();
  // A never had a second run RUNNING, though a slot was free before B came and after B finished.
  expect([r[aRuns[1]], r[aRuns[2]]]).toEqual([expect.objectContaining({ status: 'QUEUED', startedAt: null }), expect.objectContaining({ status: 'QUEUED', startedAt: null })]);
  const bWaitMs = r[bRun].startedAt!.getTime() - r[bRun].createdAt.getTime();
  const bTotalMs = r[bRun].finishedAt!.getTime() - r[bRun].createdAt.getTime();
  console.log(`training-slots: B queued behind A's running run waited ${bWaitMs} ms for a slot and finished ${bTotalMs} ms after it was queued`);
  await cancelAll(a, aRuns);
});

it("two slots train two runs at once; when one frees, the tenant with fewer running runs is claimed before the other's older queued run", async () => {
  const [a, aData] = await tenantWithData('many');
  const [b, bData] = await tenantWithData('one');
  const aRuns: string[] = [];
  for (let i = 0; i < 3; i++) aRuns.push((await startRun(a, aData, `long${i}`, LONG)).id);
  // A's limit is 2 (QUOTA_RUNNING_RUNS): both slots train A's first two runs at once.
  await Promise.all([firstProgressEvent(a, aRuns[0]), firstProgressEvent(a, aRuns[1])]);
  const bRun = (await startRun(b, bData, 'one', LONG)).id;
  let r = await rows([...aRuns, bRun]);
  expect([r[aRuns[0]].status, r[aRuns[1]].status, r[aRuns[2]].status, r[bRun].status]).toEqual(['RUNNING', 'RUNNING', 'QUEUED', 'QUEUED']);

  await gqlOk(a, CANCEL, { id: aRuns[0] }); // frees a slot: A has 1 running, B 0, and A's third run is older than B's
  await firstProgressEvent(b, bRun);
  r = await rows([...aRuns, bRun]);
  expect(r[bRun].status).toBe('RUNNING');
  expect(r[aRuns[1]].status).toBe('RUNNING');
  expect(r[aRuns[2]]).toMatchObject({ status: 'QUEUED', startedAt: null });
  expect(r[aRuns[2]].createdAt.getTime()).toBeLessThan(r[bRun].createdAt.getTime());
  await cancelAll(a, aRuns.slice(1));
  await cancelAll(b, [bRun]);
});

it('stores a run’s priority (claimFairly orders by it: test/fair-claim.spec.ts) and refuses one outside -100 to 100, naming the value', async () => {
  const [a, aData] = await tenantWithData('ranked');
  const ranked = (await startRun(a, aData, 'ranked', SHORT, { priority: -3 })).id;
  expect((await app.db.prisma.trainingRun.findUniqueOrThrow({ where: { id: ranked } })).priority).toBe(-3);
  expect((await waitForRun(a, ranked)).status).toBe('SUCCEEDED');
  const res = await gql(a, START_RUN, { input: { datasetId: aData, targetColumn: 'Outcome', modelName: 'm', spec: SHORT, priority: 101 } });
  expect(res.errors?.[0]).toMatchObject({ message: 'priority must be a whole number from -100 to 100, not 101', extensions: { code: 'BAD_USER_INPUT' } });
});
