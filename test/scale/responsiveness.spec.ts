/**
 * CPU-heavy work runs on worker threads, so the process keeps serving meanwhile: a large upload is
 * parsed and profiled on a CSV thread (src/ml/data/csv-tasks.ts), and training runs on a training
 * thread (src/ml/train-task.ts). Each test compares, in one run, how long the same work holds a
 * thread when run synchronously with the longest the event loop stalls while the API does it: the
 * stall must be a small fraction of it (it was all of it when the work ran on the main thread).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { App } from '../../src/app';
import { gqlOk, uploadFile } from '../../src/client/graphql-client';
import { parseCsv } from '../../src/ml/data/csv';
import { profileTable } from '../../src/ml/data/profile';
import { trainFromTable } from '../../src/ml/pipeline';
import { rng } from '../../src/ml/random';
import { normalizeSpec } from '../../src/ml/spec';
import { initBackend } from '../../src/ml/tf';
import { startTestApp } from '../support/app';
import { pimaTimes } from '../support/data';

/** Pima ×10 (7,680 rows): the forest fit takes over a second on the histogram learner. */
const FOREST_CSV = pimaTimes(10);
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { startRun, waitForRun } from '../support/training';

let app: App;
let t: TenantBundle;
const FOREST = { nEstimators: 40, maxDepth: 8, minSamplesSplit: 2, maxFeatures: 0.7 };
const sync = { parseMs: 0, forestMs: 0 };
let csv: string;

/** Wall time of `work`, ms. */
async function time(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

// The synchronous baselines block this process (the server included), so they run before any
// connection exists: an idle keep-alive socket outliving a long block races its own timeout.
beforeAll(async () => {
  csv = bigCsv();
  sync.parseMs = await time(() => expect(profileTable(parseCsv(csv))).toHaveLength(8));
  await initBackend();
  const spec = normalizeSpec({ model: 'random_forest', tree: FOREST, seed: 1 });
  sync.forestMs = await time(() => trainFromTable(parseCsv(FOREST_CSV), { target: 'Outcome' }, spec, async () => undefined));
  app = await startTestApp({ MAX_UPLOAD_BYTES: String(100 * 1024 * 1024) });
  t = await createTenant(app, 'responsive');
});
afterAll(() => app.stop());

/** ~12 MB: 150,000 rows of 6 numbers and 2 categories. */
function bigCsv(): string {
  const random = rng(7);
  const lines = ['a,b,c,d,e,f,city,label'];
  for (let i = 0; i < 150_000; i++) {
    const x = Array.from({ length: 6 }, () => (random() * 1000).toFixed(4));
    lines.push(`${x.join(',')},city_${Math.floor(random() * 500)},${random() < 0.3 ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}

it('keeps the event loop serving while a 12 MB upload is parsed and profiled', async () => {
  const syncMs = sync.parseMs;
  expect(syncMs).toBeGreaterThan(300); // otherwise the file is too small for this test to mean anything

  let result: Awaited<ReturnType<typeof uploadFile>> | undefined;
  const { maxStallMs, served } = await whileServing(async () => {
    result = await uploadFile(t, 'big', 'big.csv', csv);
  });
  expect(result!.errors).toBeUndefined();
  expect(result!.data).toMatchObject({ uploadDataset: { rowCount: 150_000 } });
  console.log(`sync parse + profile ${syncMs.toFixed(0)} ms; longest event-loop stall during the upload ${maxStallMs.toFixed(0)} ms; ${served} other requests served meanwhile`);
  expect(maxStallMs).toBeLessThan(syncMs / 2);
  expect(served).toBeGreaterThan(10);
});

/** Runs `work` while another client keeps calling the API; the longest event-loop stall, ms, and the calls served. */
async function whileServing(work: () => Promise<unknown>): Promise<{ maxStallMs: number; served: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let busy = true;
  let served = 0;
  const job = work().finally(() => (busy = false));
  delay.enable();
  const pinger = (async () => {
    while (busy) {
      await gqlOk(t, '{ serverInfo { version } }');
      served++;
    }
  })();
  await job;
  delay.disable();
  await pinger;
  return { maxStallMs: delay.max / 1e6, served };
}

it('keeps the event loop serving while a random forest trains', async () => {
  const syncMs = sync.forestMs;
  expect(syncMs).toBeGreaterThan(300);

  const datasetId = await uploadCsv(t, FOREST_CSV, 'pima');
  const spec = { model: 'RANDOM_FOREST', tree: FOREST, seed: 1 };
  let final: Awaited<ReturnType<typeof waitForRun>> | undefined;
  const { maxStallMs, served } = await whileServing(async () => {
    final = await waitForRun(t, (await startRun(t, datasetId, 'forest', spec)).id);
  });
  expect(final!.status).toBe('SUCCEEDED');
  console.log(`sync forest fit ${syncMs.toFixed(0)} ms; longest event-loop stall while the API trained it ${maxStallMs.toFixed(0)} ms; ${served} other requests served meanwhile`);
  expect(maxStallMs).toBeLessThan(syncMs / 2);
  expect(served).toBeGreaterThan(10);
});
