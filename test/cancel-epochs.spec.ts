/**
 * A cancelled run's stored epochs never go past its FINAL event: an epoch that finishes on the
 * training thread after the cancel committed is neither stored nor announced (the epoch write
 * share-locks the run's row and stores only while it is RUNNING). Checked on the repository against
 * each status, and end to end: a run cancelled mid-training keeps exactly the epochs it had when
 * its FINAL event was sent, after its thread has ended.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { withTenant } from '../src/lib/tenant-tx';
import { TrainingRunRepo } from '../src/modules/training/training-run.repo';
import { startTestApp } from './support/app';
import { KERAS_SPEC, SLOW_NETWORK, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { seedRuns } from './support/seed-runs';
import { firstProgressEvent, startRun, waitForRun } from './support/training';

let app: App;
let t: TenantBundle;
let datasetId: string;
beforeAll(async () => {
  app = await startTestApp({ TRAINING_SLOTS: '1' });
  t = await createTenant(app, 'cancel-epochs');
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
});
afterAll(() => app?.stop());

const EPOCH = { epoch: 1, loss: 0.5, elapsedMs: 3 };
const stored = (runId: string) => app.db.prisma.epochMetric.count({ where: { trainingRunId: runId } });

it('stores an epoch only while the run is RUNNING, and answers the status it read', async () => {
  const [running, cancelled, failed] = await seedRuns(app, t.tenantId, datasetId, [
    { modelName: 'e-running', status: 'RUNNING', createdAt: new Date() },
    { modelName: 'e-cancelled', status: 'CANCELLED', createdAt: new Date() },
    { modelName: 'e-failed', status: 'FAILED', createdAt: new Date() },
  ]);
  const repo = new TrainingRunRepo();
  const add = (runId: string, tenantId = t.tenantId) => withTenant(app.db.prisma, tenantId, (tx) => repo.addEpochWhileRunning(tx, tenantId, runId, EPOCH));
  expect(await add(running!)).toBe('RUNNING');
  expect(await add(cancelled!)).toBe('CANCELLED');
  expect(await add(failed!)).toBe('FAILED');
  const other = await createTenant(app, 'cancel-epochs-other');
  // Another tenant's run is not found (row-level security), so nothing is stored for it either.
  expect(await add(running!, other.tenantId)).toBeUndefined();
  expect([await stored(running!), await stored(cancelled!), await stored(failed!)]).toEqual([1, 0, 0]);
});

it('a run cancelled mid-training keeps the epochs it had when FINAL was sent', async () => {
  const runId = (await startRun(t, datasetId, 'cancel-mid', { ...SLOW_NETWORK, epochs: 1000, batchSize: 16 })).id;
  expect((await firstProgressEvent(t, runId)).kind).toBe('EPOCH');
  await gqlOk(t, 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }', { id: runId });
  const final = await waitForRun(t, runId);
  expect(final.status).toBe('CANCELLED');
  const atFinal = await stored(runId);
  expect(atFinal).toBeGreaterThan(0);
  // One training slot: a run that trains to the end after it proves the cancelled run's thread ended.
  const next = (await startRun(t, datasetId, 'after-cancel', { ...KERAS_SPEC, epochs: 2 })).id;
  expect((await waitForRun(t, next)).status).toBe('SUCCEEDED');
  expect(await stored(runId)).toBe(atFinal);
});
