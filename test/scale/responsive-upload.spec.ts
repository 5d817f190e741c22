/**
 * A large upload is parsed and profiled on a worker thread (src/ml/data/csv-tasks.ts), so the
 * process keeps serving meanwhile. The test compares, in one run, how long the same parse and
 * profile hold a thread when run synchronously with the longest the event loop stalls during the
 * upload through the API: the stall must be a small fraction of it (it was all of it when the
 * parse ran on the request thread).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { App } from '../../src/app';
import { gqlOk, uploadFile } from '../../src/client/graphql-client';
import { parseCsv } from '../../src/ml/data/csv';
import { profileTable } from '../../src/ml/data/profile';
import { rng } from '../../src/ml/random';
import { startTestApp } from '../helpers/app';
import { createTenant, type TenantBundle } from '../helpers/factories';

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp({ MAX_UPLOAD_BYTES: String(100 * 1024 * 1024) });
  t = await createTenant(app, 'big-upload');
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
  const csv = bigCsv();
  const started = performance.now();
  const columns = profileTable(parseCsv(csv));
  const syncMs = performance.now() - started;
  expect(columns).toHaveLength(8);
  expect(syncMs).toBeGreaterThan(300); // otherwise the file is too small for this test to mean anything

  const delay = monitorEventLoopDelay({ resolution: 10 });
  const others: number[] = [];
  let uploading = true;
  const upload = uploadFile(t, 'big', 'big.csv', csv).finally(() => (uploading = false));
  delay.enable();
  const pinger = (async () => {
    while (uploading) {
      await gqlOk(t, '{ serverInfo { version } }');
      others.push(performance.now());
    }
  })();
  const result = await upload;
  delay.disable();
  await pinger;

  expect(result.errors).toBeUndefined();
  expect(result.data).toMatchObject({ uploadDataset: { rowCount: 150_000 } });
  const maxStallMs = delay.max / 1e6;
  console.log(`sync parse + profile ${syncMs.toFixed(0)} ms; longest event-loop stall during the upload ${maxStallMs.toFixed(0)} ms; ${others.length} other requests served meanwhile`);
  expect(maxStallMs).toBeLessThan(syncMs / 2);
  expect(others.length).toBeGreaterThan(10);
});
