/**
 * Soak (bounded, SOAK_SECONDS, default 20 in the suite; SOAK_SECONDS=600 for a long one): mixed single-row and bulk predicts from several
 * clients while small training runs keep arriving. No request may fail, and at the end the live
 * tensor count is back where it started and the heap has not grown beyond noise.
 */
import type { App } from '../../src/app';
import { gql } from '../../src/client/graphql-client';
import { tf } from '../../src/ml/tf';
import { startTestApp } from '../support/app';
import { KERAS_SPEC, PIMA_CSV, PIMA_ROWS } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { startRun, waitForRun } from '../support/training';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 20);
let app: App;
let t: TenantBundle;
let datasetId: string;

const ROWS = PIMA_ROWS;
const PREDICT = 'query($rows: [JSONObject!]!) { predict(model: "soak", rows: $rows) { version predictions { probability } } }';

beforeAll(async () => {
  app = await startTestApp({ QUOTA_CONCURRENT_RUNS: '10', QUOTA_PREDICTIONS_PER_MINUTE: String(2e9) }); // the soak measures serving, not the rate limit
  t = await createTenant(app, 'soak');
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  await waitForRun(t, (await startRun(t, datasetId, 'soak', { ...KERAS_SPEC, epochs: 2 })).id);
});
afterAll(() => app.stop());

it(
  `serves mixed traffic for ${SECONDS} s without a failed request or a leak`,
  async () => {
    // Warm up, then take the baseline.
    for (let i = 0; i < 50; i++) await gql(t, PREDICT, { rows: [ROWS[i]] });
    global.gc?.();
    const tensorsBefore = tf.memory().numTensors;
    const heapBefore = process.memoryUsage().heapUsed;

    const end = Date.now() + SECONDS * 1000;
    const failures: string[] = [];
    let requests = 0;
    let runs = 0;
    const client = async (bulk: boolean) => {
      let i = 0;
      while (Date.now() < end) {
        const rows = bulk ? ROWS.slice(0, 500) : [ROWS[i++ % ROWS.length]];
        const r = await gql(t, PREDICT, { rows });
        requests++;
        if (r.errors) failures.push(JSON.stringify(r.errors));
      }
    };
    const trainer = async () => {
      while (Date.now() < end - 5000) {
        const final = await waitForRun(t, (await startRun(t, datasetId, 'soak', { ...KERAS_SPEC, epochs: 3 })).id);
        runs++;
        if (final.status !== 'SUCCEEDED') failures.push(`run ${final.status}: ${final.failureMessage}`);
      }
    };
    await Promise.all([client(false), client(false), client(false), client(true), trainer()]);

    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(SECONDS * 10);
    expect(runs).toBeGreaterThan(0);
    await app.services.modelCache.clear(); // versions trained during the soak stay loaded otherwise
    await gql(t, PREDICT, { rows: [ROWS[0]] }); // and the latest is loaded again, as at the baseline
    global.gc?.();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // Heap: flat within noise (JIT, caches of a few entries); a leak of the request path over
    // thousands of requests would show as tens of MB.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(40 * 1024 * 1024);
    console.log(`soak: ${requests} requests, ${runs} training runs in ${SECONDS} s; heap ${((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20).toFixed(1)} MiB vs start`);
  },
  (SECONDS + 120) * 1000,
);
