/**
 * Where training runs (TRAINING_THREAD): the same run trained on a training thread and on the
 * process' main thread (the path used with the native tfjs-node backend) gives the same model as
 * a bare in-process fit with the stored spec, epoch for epoch.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { parseCsv } from '../src/ml/data/csv';
import { trainFromTable } from '../src/ml/pipeline';
import type { TrainingSpec } from '../src/ml/spec';
import type { EpochResult } from '../src/ml/families/model-family';
import { initBackend, tf } from '../src/ml/tf';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV, pimaTimes } from './support/data';
import { createTenant, uploadCsv } from './support/factories';
import { startRun, waitForRun } from './support/training';

const RUN = `query($id: ID!) { trainingRun(id: $id) { spec metrics { epoch loss accuracy } } }`;

async function trainThroughApi(where: 'thread' | 'main') {
  const app: App = await startTestApp({ TRAINING_THREAD: where });
  try {
    const t = await createTenant(app, `on-${where}`);
    const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
    const tensorsBefore = tf.memory().numTensors;
    const { id } = await startRun(t, datasetId, 'diabetes', { ...KERAS_SPEC, epochs: 4 });
    const final = await waitForRun(t, id);
    expect(final.status).toBe('SUCCEEDED');
    const mainThreadTensors = tf.memory().numTensors - tensorsBefore;
    const run = (await gqlOk(t, RUN, { id })).trainingRun;
    return { accuracy: final.modelVersion.metrics.accuracy as number, spec: run.spec as TrainingSpec, epochs: run.metrics as EpochResult[], mainThreadTensors };
  } finally {
    await app.stop();
  }
}

it('trains the same model on a training thread, on the main thread, and in a bare fit', async () => {
  const onThread = await trainThroughApi('thread');
  const onMain = await trainThroughApi('main');
  expect(onMain.spec).toEqual(onThread.spec);
  expect(onMain.epochs).toEqual(onThread.epochs);
  expect(onMain.accuracy).toBe(onThread.accuracy);
  // Neither path leaves tensors behind on the main thread.
  expect(onThread.mainThreadTensors).toBe(0);
  expect(onMain.mainThreadTensors).toBe(0);

  await initBackend();
  const bare = await trainFromTable(parseCsv(PIMA_CSV), { target: 'Outcome' }, onThread.spec, async () => undefined);
  expect(bare.epochs.map(({ epoch, loss, accuracy }) => ({ epoch, loss, accuracy }))).toEqual(onThread.epochs);
  expect(bare.metrics.accuracy).toBe(onThread.accuracy);
});

it('ends a cancelled run’s training thread at once, even mid-way through a long forest fit', async () => {
  const app: App = await startTestApp();
  try {
    const t = await createTenant(app, 'cancel-forest');
    const datasetId = await uploadCsv(t, pimaTimes(30), 'pima');
    const before = await app.threads.training.run('threadInfo', undefined);
    // Seconds to tens of seconds when fitted to the end on 23,040 rows (one fit, no epochs to stop
    // at); 250 trees keep its memory bound (about 430 MiB) under the default 512 MiB limit.
    const spec = { model: 'RANDOM_FOREST', tree: { nEstimators: 250, maxDepth: 20, minSamplesSplit: 2, maxFeatures: 1 }, seed: 1 };
    // The event: the run's training task is handed to the training thread (after the run is RUNNING).
    const pool = app.threads.training;
    const run = pool.run.bind(pool);
    const handedOver = new Promise<void>((resolve) => {
      jest.spyOn(pool, 'run').mockImplementation((name, ...rest) => {
        if (name === 'train') resolve();
        return run(name, ...rest);
      });
    });
    const { id } = await startRun(t, datasetId, 'forest', spec);
    const status = async () => (await gqlOk(t, 'query($id: ID!) { trainingRun(id: $id) { status } }', { id })).trainingRun.status;
    await handedOver;
    expect(await status()).toBe('RUNNING');
    // Inside one forest fit nothing is announced (no epochs, no progress), so "well into the fit"
    // can only be reached by time: 300 ms past the hand-over, against a ~30 s fit.
    await new Promise((r) => setTimeout(r, 300));
    // The pool has one training thread: a task queued behind the forest answers only once the
    // forest's thread is gone and a new one has started (queued before the cancel on purpose).
    const queued = app.threads.training.run('threadInfo', undefined);
    await gqlOk(t, 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }', { id });
    const after = await queued;
    expect(after.threadId).not.toBe(before.threadId);
    expect(await status()).toBe('CANCELLED');
    // And the next run trains normally on the new thread.
    const next = await waitForRun(t, (await startRun(t, datasetId, 'after', { ...KERAS_SPEC, epochs: 2 })).id);
    expect(next.status).toBe('SUCCEEDED');
  } finally {
    await app.stop();
  }
}, 60_000);
