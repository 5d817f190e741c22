/**
 * Shared slots (issue 10, review F2: "one tenant's single long run held the only training slot"):
 * with TRAINING_SLOTS=1 and TRAINING_SHARED_SLOTS=1, tenant A's long run holds the regular slot;
 * tenant B, with nothing training, starts at once in the shared slot and finishes while A's run
 * trains, but A's own second run still waits (a shared slot is only for tenants with nothing
 * training). With both slots held by two tenants' long runs, a third tenant waits until one ends:
 * the bound is the worker's slots in all. Orderings come from the runs' rows, never from timings.
 * Pre-emption is off (TRAINING_PREEMPT_AFTER_SECONDS=0): it has its own spec.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, SLOW_NETWORK, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { firstProgressEvent, startRun, waitForRun } from './support/training';

/** Trains for minutes unless cancelled: every test cancels its long runs. */
const LONG = { ...SLOW_NETWORK, epochs: 1000, batchSize: 16 };
const SHORT = { ...KERAS_SPEC, epochs: 2 };
const CANCEL = 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }';

let app: App;
beforeAll(async () => {
  app = await startTestApp({ TRAINING_SLOTS: '1', TRAINING_SHARED_SLOTS: '1', QUOTA_RUNNING_RUNS: '2', QUOTA_CONCURRENT_RUNS: '6', TRAINING_PREEMPT_AFTER_SECONDS: '0' });
});
afterAll(() => app.stop());

/** The runs' rows as stored (status and timestamps), by id. */
async function rows(ids: string[]) {
  const found = await app.db.prisma.trainingRun.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, startedAt: true, finishedAt: true } });
  return Object.fromEntries(found.map((r) => [r.id, r]));
}

async function tenantWithData(name: string): Promise<[TenantBundle, string]> {
  const t = await createTenant(app, name);
  return [t, await uploadCsv(t, PIMA_CSV, 'pima')];
}

const cancel = (t: TenantBundle, id: string) => gqlOk(t, CANCEL, { id });

it("a tenant with nothing training starts at once beside another tenant's long run and finishes first; that tenant's own second run keeps waiting", async () => {
  const [a, aData] = await tenantWithData('long-runner');
  const [b, bData] = await tenantWithData('newcomer');
  const aFirst = (await startRun(a, aData, 'long', LONG)).id;
  await firstProgressEvent(a, aFirst); // A holds the regular slot
  const aSecond = (await startRun(a, aData, 'long2', LONG)).id; // A has a run training: not for the shared slot
  const bRun = (await startRun(b, bData, 'short', SHORT)).id;
  expect(await waitForRun(b, bRun)).toMatchObject({ status: 'SUCCEEDED', modelVersion: { version: 1 } });

  const r = await rows([aFirst, aSecond, bRun]);
  expect(r[aFirst]).toMatchObject({ status: 'RUNNING', finishedAt: null });
  expect(r[aSecond]).toMatchObject({ status: 'QUEUED', startedAt: null });
  expect(r[bRun].startedAt!.getTime()).toBeGreaterThan(r[aFirst].startedAt!.getTime());
  await cancel(a, aSecond);
  await cancel(a, aFirst);
});

it('two tenants’ long runs fill the regular and the shared slot; a third tenant waits until one of them ends, then trains', async () => {
  const [a, aData] = await tenantWithData('first');
  const [b, bData] = await tenantWithData('second');
  const [c, cData] = await tenantWithData('third');
  const aRun = (await startRun(a, aData, 'long', LONG)).id;
  await firstProgressEvent(a, aRun);
  const bRun = (await startRun(b, bData, 'long', LONG)).id;
  await firstProgressEvent(b, bRun); // B trains in the shared slot while A trains
  const cRun = (await startRun(c, cData, 'short', SHORT)).id;
  // A claim retry is a second away (CLAIM_RETRY_SECONDS): three seconds give C's ticket time to be
  // tried, and refused, more than once. (A wait that can only pass early, never fail on a slow machine.)
  await new Promise((resolve) => setTimeout(resolve, 3000));
  let r = await rows([aRun, bRun, cRun]);
  expect([r[aRun].status, r[bRun].status, r[cRun].status]).toEqual(['RUNNING', 'RUNNING', 'QUEUED']);

  await cancel(b, bRun);
  expect(await waitForRun(c, cRun)).toMatchObject({ status: 'SUCCEEDED' });
  r = await rows([aRun, cRun]);
  expect(r[aRun].status).toBe('RUNNING');
  await cancel(a, aRun);
});
