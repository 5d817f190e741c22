/**
 * One tenant cannot fill the shared CSV thread queue (issue #10, one tenant degrading another): at
 * most DATA_TASKS_PER_TENANT of its uploads and correlations are in flight per process, and never
 * more than DATA_THREADS - 1 (so another tenant always has a thread); the rest are refused at once
 * with QUOTA_EXCEEDED, while another tenant's upload goes through.
 */
import type { App } from '../src/app';
import { gql } from '../src/client/graphql-client';
import { KeyedGate } from '../src/lib/threads/keyed-gate';
import { startTestApp } from './support/app';
import { PIMA_CSV } from './support/data';
import { createTenant } from './support/factories';
import { mnistSubset, uploadImages } from './support/images';

const UPLOAD = 'mutation($name: String!, $csv: String!) { uploadDataset(name: $name, csv: $csv) { id rowCount } }';
// ~4.6 MB: long enough to parse that concurrent uploads overlap.
const BIG = PIMA_CSV + PIMA_CSV.split('\n').slice(1).filter(Boolean).join('\n').concat('\n').repeat(200);

let app: App;
// DATA_TASKS_PER_TENANT 2 is clamped to DATA_THREADS - 1 = 1: a tenant never holds both threads.
beforeAll(async () => (app = await startTestApp({ DATA_TASKS_PER_TENANT: '2', DATA_THREADS: '2', WORKER_ENABLED: 'false' })));
afterAll(() => app.stop());

it("refuses a tenant's CSV tasks past its share at once, and serves another tenant meanwhile", async () => {
  const greedy = await createTenant(app, 'greedy');
  const other = await createTenant(app, 'other');
  const [mine, theirs] = await Promise.all([
    Promise.all([0, 1, 2, 3].map((i) => gql(greedy, UPLOAD, { name: `big${i}`, csv: BIG }))),
    gql(other, UPLOAD, { name: 'big', csv: BIG }),
  ]);
  expect(theirs.errors).toBeUndefined();
  expect(theirs.data?.uploadDataset.rowCount).toBe(768 * 201);
  const refused = mine.filter((r) => r.errors);
  expect(refused.length).toBeGreaterThanOrEqual(1);
  expect(mine.length - refused.length).toBeGreaterThanOrEqual(1);
  for (const r of refused) {
    expect(r.errors?.[0]).toMatchObject({
      message: 'Your tenant has 1 dataset uploads, correlations or model exports in progress on this server, the most at once; retry when one has finished',
      extensions: { code: 'QUOTA_EXCEEDED', retryAfterSeconds: 2 },
    });
  }
  // Its share is free again afterwards.
  expect((await gql(greedy, UPLOAD, { name: 'again', csv: PIMA_CSV })).errors).toBeUndefined();
});

it('counts image uploads in the same share as CSV tasks', async () => {
  const greedy = await createTenant(app, 'images');
  const mnist = mnistSubset(10_000);
  const results = await Promise.all([
    gql(greedy, UPLOAD, { name: 'big', csv: BIG }),
    ...[0, 1, 2].map((i) => uploadImages(greedy, { format: 'MNIST_IDX', images: mnist.images, labels: mnist.labels, name: `mnist${i}` })),
  ]);
  const refused = results.filter((r) => r.errors);
  expect(refused.length).toBeGreaterThanOrEqual(1);
  for (const r of refused) expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'QUOTA_EXCEEDED', retryAfterSeconds: 2 });
  expect(results.length - refused.length).toBeGreaterThanOrEqual(1);
});

it('KeyedGate counts per key and frees a slot when a task ends, also when it throws', async () => {
  const gate = new KeyedGate(1);
  let release!: () => void;
  const held = gate.run(
    'a',
    () => new Promise<void>((r) => (release = r)),
    () => new Error('full'),
  );
  await expect(
    gate.run(
      'a',
      async () => 1,
      (n) => new Error(`full ${n}`),
    ),
  ).rejects.toThrow('full 1');
  await expect(
    gate.run(
      'b',
      async () => 2,
      () => new Error('full'),
    ),
  ).resolves.toBe(2);
  release();
  await held;
  await expect(
    gate.run(
      'a',
      async () => Promise.reject(new Error('boom')),
      () => new Error('full'),
    ),
  ).rejects.toThrow('boom');
  await expect(
    gate.run(
      'a',
      async () => 3,
      () => new Error('full'),
    ),
  ).resolves.toBe(3);
});
