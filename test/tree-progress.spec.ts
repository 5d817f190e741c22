/**
 * Progress for every family (issue 14): a random forest streams its trees as PROGRESS events (live
 * only, never stored or replayed) with an ETA, and every EPOCH event carries the ETA at the pace so
 * far, 0 at the last epoch.
 */
import type { App } from '../src/app';
import { collect, wsClient } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { startRun } from './support/training';

let app: App;
let t: TenantBundle;
let datasetId: string;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'tree-progress');
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
});
afterAll(() => app.stop());

const EVENTS = `subscription($runId: ID!) {
  trainingProgress(runId: $runId) { kind status epoch epochs step steps stepUnit etaSeconds replayed }
}`;

type Event = {
  kind: string;
  status: string;
  epoch: number | null;
  epochs: number | null;
  step: number | null;
  steps: number | null;
  stepUnit: string | null;
  etaSeconds: number | null;
  replayed: boolean | null;
};

async function eventsOf(runId: string): Promise<Event[]> {
  const client = wsClient(t.wsUrl, t.token);
  try {
    const results = await collect<{ trainingProgress: Event }>(client, EVENTS, { runId }).done;
    return results.map((r) => r.data!.trainingProgress);
  } finally {
    await client.dispose();
  }
}

it('streams a forest’s trees with an ETA, and an ETA on every epoch of a network, 0 at the end', async () => {
  // One training slot in tests: the network trains first, so the forest is still QUEUED when its
  // subscription opens and no tree event can be missed.
  const network = await startRun(t, datasetId, 'net', { ...KERAS_SPEC, epochs: 8 });
  const forest = await startRun(t, datasetId, 'forest', { model: 'RANDOM_FOREST', tree: { nEstimators: 400, maxDepth: 10 }, seed: 7 });
  const [netEvents, forestEvents] = await Promise.all([eventsOf(network.id), eventsOf(forest.id)]);

  const epochs = netEvents.filter((e) => e.kind === 'EPOCH');
  expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  for (const e of epochs.filter((x) => !x.replayed)) expect(e.etaSeconds).toBeGreaterThanOrEqual(0);
  expect(epochs.at(-1)!.etaSeconds).toBe(0);
  expect(netEvents.some((e) => e.kind === 'PROGRESS')).toBe(false);

  const steps = forestEvents.filter((e) => e.kind === 'PROGRESS');
  expect(steps.length).toBeGreaterThanOrEqual(1);
  for (const s of steps) {
    expect([s.steps, s.stepUnit, s.status]).toEqual([400, 'tree', 'RUNNING']);
    expect(s.etaSeconds).toBeGreaterThanOrEqual(0);
  }
  const order = steps.map((s) => s.step!);
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(steps.at(-1)).toMatchObject({ step: 400, etaSeconds: 0 });
  // Then the forest's one epoch, then FINAL.
  expect(forestEvents.slice(steps.length).map((e) => [e.kind, e.epoch, e.status])).toEqual([
    ['EPOCH', 1, 'RUNNING'],
    ['FINAL', null, 'SUCCEEDED'],
  ]);
  console.log(`forest of 400 trees: ${steps.length} PROGRESS events (throttled to one per 250 ms; the last always sent)`);

  // Steps are not stored: a later subscriber gets the stored epoch and FINAL only.
  expect((await eventsOf(forest.id)).map((e) => [e.kind, e.replayed])).toEqual([
    ['EPOCH', true],
    ['FINAL', null],
  ]);
});
