/**
 * Workers that die or are stopped mid-run: a killed worker's run is handed to another worker
 * within the lease; a worker told to stop (SIGTERM) finishes its epoch, hands the run back and
 * exits cleanly; the last allowed attempt of a lost run ends FAILED with WORKER_LOST.
 */
import type { App } from '../../src/app';
import { collect, gqlOk, wsClient } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { PIMA_CSV, SLOW_NETWORK } from '../support/data';
import { workerDatabaseUrl } from '../support/database';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { buildDist, startWorker, waitForLog, type Proc } from '../support/processes';
import { firstProgressEvent, PROGRESS, startRun } from '../support/training';

let app: App;
let t: TenantBundle;
let datasetId: string;
const procs: Proc[] = [];
const LONG = { ...SLOW_NETWORK, epochs: 1000 };
const RUN = 'query($id: ID!) { trainingRun(id: $id) { status attempts workerId failureCode } }';

beforeAll(async () => {
  buildDist();
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  t = await createTenant(app, 'workers');
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
}, 120_000);
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  await app.stop();
});

/** Resolves when the run's first epoch event arrives. */
async function firstEpoch(runId: string): Promise<void> {
  await firstProgressEvent(t, runId);
}

/** Resolves when worker `w` has claimed a run and started training it (its log says so), failing after `ms`. */
async function claimedBy(w: Proc, runId: string, ms: number) {
  await waitForLog(w, /training run started/, ms);
  return (await gqlOk(t, RUN, { id: runId })).trainingRun;
}

it('hands a killed worker’s run to another worker within the lease', async () => {
  const url = workerDatabaseUrl();
  const w1 = await startWorker(url, { TRAINING_LEASE_SECONDS: '2' });
  procs.push(w1);
  const run = await startRun(t, datasetId, 'killed', LONG);
  await firstEpoch(run.id);
  expect((await gqlOk(t, RUN, { id: run.id })).trainingRun.workerId).toContain(`:${w1.child.pid}:`);

  await w1.stop('SIGKILL');
  const killedAt = Date.now();
  const w2 = await startWorker(url, { TRAINING_LEASE_SECONDS: '2' });
  procs.push(w2);
  const taken = await claimedBy(w2, run.id, 15_000);
  expect(taken).toMatchObject({ attempts: 2, status: 'RUNNING' });
  expect(taken.workerId).toContain(`:${w2.child.pid}:`);
  // Lease 2 s, reaper every 2/3 s, worker poll 0.5 s (+ the new worker's start-up): well within 10 s.
  expect(Date.now() - killedAt).toBeLessThan(10_000);
  await gqlOk(t, 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }', { id: run.id });
  await w2.stop();
}, 60_000);

it('drains on SIGTERM: the epoch ends, the run goes back to the queue, the worker exits 0', async () => {
  const url = workerDatabaseUrl();
  const w = await startWorker(url);
  procs.push(w);
  const run = await startRun(t, datasetId, 'drained', LONG);
  await firstEpoch(run.id);
  const code = await w.stop('SIGTERM');
  expect(code).toBe(0);
  await waitForLog(w, /handed back to the queue/, 1000);
  const back = (await gqlOk(t, RUN, { id: run.id })).trainingRun;
  expect(back).toMatchObject({ status: 'QUEUED', attempts: 1 });

  const next = await startWorker(url);
  procs.push(next);
  const taken = await claimedBy(next, run.id, 15_000);
  expect(taken.attempts).toBe(2);
  expect(taken.workerId).toContain(`:${next.child.pid}:`);
  await gqlOk(t, 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }', { id: run.id });
  await next.stop();
}, 60_000);

it('fails a lost run with WORKER_LOST on its last attempt and tells subscribers', async () => {
  const url = workerDatabaseUrl();
  const w1 = await startWorker(url, { TRAINING_LEASE_SECONDS: '1', TRAINING_MAX_ATTEMPTS: '1' });
  procs.push(w1);
  const run = await startRun(t, datasetId, 'lost', LONG);
  await firstEpoch(run.id);
  const client = wsClient(t.wsUrl, t.token);
  const stream = collect<{ trainingProgress: Record<string, any> }>(client, PROGRESS, { runId: run.id });
  await w1.stop('SIGKILL');
  const reaper = await startWorker(url, { TRAINING_LEASE_SECONDS: '1', TRAINING_MAX_ATTEMPTS: '1' });
  procs.push(reaper);
  const events = await stream.done;
  await client.dispose();
  const final = events[events.length - 1].data!.trainingProgress;
  expect(final).toMatchObject({ kind: 'FINAL', status: 'FAILED', failureCode: 'WORKER_LOST' });
  expect((await gqlOk(t, RUN, { id: run.id })).trainingRun).toMatchObject({ status: 'FAILED', failureCode: 'WORKER_LOST', attempts: 1 });
  await reaper.stop();
}, 60_000);
