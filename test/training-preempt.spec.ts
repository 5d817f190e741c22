/**
 * Fair share of training slots (issue #10: "no way for one tenant to degrade another's training"):
 * when every slot is taken and a tenant waits with nothing running, a tenant holding two or more
 * slots gives its most recently started run back to the queue (TRAINING_PREEMPT_AFTER_SECONDS), so
 * the waiting tenant starts; the run handed back is told (REQUEUED, with the reason), is not
 * charged an attempt, and starts over from epoch 1 when a slot frees. A tenant never loses its last
 * running run. Orderings are read from the runs' rows and events, never from wall-clock thresholds.
 */
import type { App } from '../src/app';
import { gqlOk, wsClient } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, SLOW_NETWORK, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { firstProgressEvent, startRun, waitForRun } from './support/training';

/** Trains for minutes unless cancelled: every test cancels its long runs. */
const LONG = { ...SLOW_NETWORK, epochs: 1000, batchSize: 16 };
const SHORT = { ...KERAS_SPEC, epochs: 2 };
const CANCEL = 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }';
const EVENTS = 'subscription($runId: ID!) { trainingProgress(runId: $runId) { kind status epoch reason } }';

type Event = { kind: string; status: string; epoch: number | null; reason: string | null };

let app: App;
beforeAll(async () => {
  app = await startTestApp({ TRAINING_SLOTS: '2', QUOTA_RUNNING_RUNS: '2', QUOTA_CONCURRENT_RUNS: '6', TRAINING_PREEMPT_AFTER_SECONDS: '1' });
});
afterAll(() => app.stop());

async function tenantWithData(name: string): Promise<[TenantBundle, string]> {
  const t = await createTenant(app, name);
  return [t, await uploadCsv(t, PIMA_CSV, 'pima')];
}

/** The run's progress events from now until `until` holds for the events so far (or the stream ends). */
function watch(t: TenantBundle, runId: string, until: (events: Event[]) => boolean) {
  const client = wsClient(t.wsUrl, t.token);
  const events: Event[] = [];
  const done = new Promise<Event[]>((resolve, reject) => {
    client.subscribe<{ trainingProgress: Event }>(
      { query: EVENTS, variables: { runId } },
      {
        next: (v) => {
          if (!v.data) return reject(new Error(JSON.stringify(v.errors)));
          events.push(v.data.trainingProgress);
          if (until(events)) resolve(events);
        },
        error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
        complete: () => resolve(events),
      },
    );
  }).finally(() => client.dispose());
  return { events, done };
}

const runRow = (id: string) =>
  app.db.prisma.trainingRun.findUniqueOrThrow({ where: { id }, select: { id: true, status: true, attempts: true, startedAt: true, preemptions: true } });
const cancelAll = (t: TenantBundle, ids: string[]) => Promise.all(ids.map((id) => gqlOk(t, CANCEL, { id })));

it("a tenant holding both slots gives its newest run back when another tenant waits; that tenant's run succeeds, and the run handed back starts over from epoch 1 uncharged", async () => {
  const [a, aData] = await tenantWithData('hog');
  const [b, bData] = await tenantWithData('waiter');
  const aRuns = [(await startRun(a, aData, 'long0', LONG)).id, (await startRun(a, aData, 'long1', LONG)).id];
  await Promise.all(aRuns.map((id) => firstProgressEvent(a, id)));
  const [r0, r1] = await Promise.all(aRuns.map(runRow));
  const newest = [r0, r1].sort((x, y) => x.startedAt!.getTime() - y.startedAt!.getTime() || x.id.localeCompare(y.id))[1]!.id;
  const oldest = aRuns.find((id) => id !== newest)!;
  // Watch the newest until it is handed back and has trained its first epoch again.
  const handedBack = watch(a, newest, (es) => es.some((e, i) => e.kind === 'REQUEUED' && es.slice(i).some((l) => l.kind === 'EPOCH' && l.epoch === 1)));
  const kept = watch(a, oldest, (es) => es.some((e) => e.kind !== 'EPOCH'));

  const bRun = (await startRun(b, bData, 'short', SHORT)).id;
  expect(await waitForRun(b, bRun)).toMatchObject({ status: 'SUCCEEDED', modelVersion: { version: 1 } });

  const events = await handedBack.done;
  const requeued = events.find((e) => e.kind === 'REQUEUED')!;
  expect(requeued).toMatchObject({ status: 'QUEUED', epoch: null });
  expect(requeued.reason).toMatch(/^Another tenant's run was waiting for a training slot.*starts over from epoch 1.*TRAINING_PREEMPT_AFTER_SECONDS/);
  // After the hand-back the stream starts over at epoch 1 (the stored epochs of the first attempt are gone).
  const after = events.slice(events.indexOf(requeued) + 1).filter((e) => e.kind === 'EPOCH');
  expect(after[0]).toMatchObject({ epoch: 1, status: 'RUNNING' });
  // A's oldest run was never handed back: a tenant keeps its first slot.
  expect(kept.events.filter((e) => e.kind !== 'EPOCH')).toEqual([]);
  expect(await runRow(oldest)).toMatchObject({ status: 'RUNNING', attempts: 1, preemptions: 0 });
  // The hand-back was not charged: claimed twice, one attempt counted; it is counted as a pre-emption
  // (its next one needs twice the training time since its start: TrainingRunRepo.shouldYield).
  expect(await runRow(newest)).toMatchObject({ status: 'RUNNING', attempts: 1, preemptions: 1 });
  const shown = await gqlOk(a, 'query($id: ID!) { trainingRun(id: $id) { attempts preemptions } }', { id: newest });
  expect(shown.trainingRun).toEqual({ attempts: 1, preemptions: 1 });
  await cancelAll(a, aRuns);
  await kept.done;
});

it('a tenant with one running run is never asked to give it back, even while a third tenant waits for a slot', async () => {
  const [a, aData] = await tenantWithData('one-a');
  const [c, cData] = await tenantWithData('one-c');
  const [d, dData] = await tenantWithData('third');
  const aRun = (await startRun(a, aData, 'long', LONG)).id;
  const cRun = (await startRun(c, cData, 'long', LONG)).id;
  await Promise.all([firstProgressEvent(a, aRun), firstProgressEvent(c, cRun)]);
  const aEvents = watch(a, aRun, (es) => es.some((e) => e.kind !== 'EPOCH'));
  const cEvents = watch(c, cRun, (es) => es.some((e) => e.kind !== 'EPOCH'));
  const dRun = (await startRun(d, dData, 'waits', LONG)).id;
  // D waits with both slots taken, one run each; pre-emption would act about a second after D's
  // run was queued (checks every 250 ms). Wait four times that, and until both running runs have
  // trained three more epochs (so both supervisors were alive and checking meanwhile).
  const epochOf = (es: Event[]) => es.filter((e) => e.kind === 'EPOCH').length;
  const start = [epochOf(aEvents.events), epochOf(cEvents.events)];
  const queuedAt = Date.now();
  const deadline = queuedAt + 60_000;
  const waited = () => Date.now() - queuedAt >= 4_000 && epochOf(aEvents.events) >= start[0]! + 3 && epochOf(cEvents.events) >= start[1]! + 3;
  while (Date.now() < deadline && !waited()) await new Promise((r) => setTimeout(r, 100));
  const d0 = await runRow(dRun);
  expect(d0).toMatchObject({ status: 'QUEUED', attempts: 0 });
  expect([...aEvents.events, ...cEvents.events].filter((e) => e.kind !== 'EPOCH')).toEqual([]);
  await cancelAll(a, [aRun]);
  await firstProgressEvent(d, dRun); // the freed slot goes to D
  await cancelAll(c, [cRun]);
  await cancelAll(d, [dRun]);
  await Promise.all([aEvents.done, cEvents.done]);
});
