/**
 * One tenant's large scoring call never holds the scoring thread (issue 10, review F3: one
 * `explain` of a wide network held the only scoring thread for 3.5 minutes while another tenant's
 * predict waited). For models whose multiply-adds per row are known (dense networks:
 * `ModelFamily.costPerRow`), an explanation is refused past MAX_EXPLAIN_ROW_WORK for one row or
 * MAX_EXPLAIN_WORK for the call, with a message saying what fits; calls larger than
 * SCORING_SLICE_WORK go to the thread in slices, each waiting its turn in the tenants' round-robin,
 * and the answer is the one an unsliced call gives. The limits are scaled down here so small
 * networks on Pima show each case; orderings and exact values are asserted, not times.
 */
import type { App } from '../../src/app';
import { codeOf, gql, gqlOk, type GqlResult } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { PIMA_CSV, PIMA_ROWS } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { download, runBatch } from '../support/batch';
import { interleaved, PREDICT } from '../support/predict';
import { trainVersion } from '../support/training';
import { treeCostPerRow } from '../../src/ml/trees/tree-family';

const EXPLAIN = `query($model: String!, $rows: [JSONObject!]!) {
  explain(model: $model, rows: $rows) { evaluations explanations { value baseValue attributions { feature attribution } } } }`;

let app: App;
let a: TenantBundle;
let b: TenantBundle;

/** Dense networks on Pima's 8 inputs (multiply-adds per row = weights). */
const network = (hidden: number[]) => ({
  layers: [...hidden.map((units) => ({ type: 'DENSE', units, activation: 'RELU' })), { type: 'DENSE', units: 1, activation: 'SIGMOID' }],
  loss: 'BINARY_CROSSENTROPY',
  epochs: 1,
  batchSize: 64,
  seed: 3,
});
const weights = (hidden: number[]) => [8, ...hidden, 1].reduce((n, units, i, all) => (i === 0 ? 0 : n + all[i - 1]! * units + units), 0);

beforeAll(async () => {
  app = await startTestApp({
    SCORING_SLICE_WORK: '1000000',
    MAX_EXPLAIN_ROW_WORK: '10000000',
    MAX_EXPLAIN_WORK: '30000000',
    MAX_EXPLAIN_CELLS: '1000000000',
  });
  a = await createTenant(app, 'slices-a');
  b = await createTenant(app, 'slices-b');
  for (const t of [a, b]) {
    const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
    await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'wide', spec: network([256, 256]) });
    if (t === a) {
      await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'mid', spec: network([32]) });
      await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'big', spec: network([128]) });
      await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'forest', spec: { model: 'RANDOM_FOREST', tree: { nEstimators: 40 }, seed: 3 } });
    }
  }
}, 180_000);
afterAll(() => app.stop());

const messageOf = (r: GqlResult) => r.errors?.[0]?.message;

it('refuses an explanation past the per-row or per-call multiply-adds of a dense network, saying what fits', async () => {
  // 8 features: exact Shapley values, 2^8 = 256 evaluations a row.
  const wide = await gql(a, EXPLAIN, { model: 'wide', rows: PIMA_ROWS.slice(0, 1) });
  expect(codeOf(wide)).toBe('BAD_USER_INPUT');
  expect(messageOf(wide)).toBe(
    `Explaining one row of this version takes 256 model evaluations of ${weights([256, 256])} multiply-adds each (${(256 * weights([256, 256])).toExponential(2)}); ` +
      'at most 1.00e+7 per row (MAX_EXPLAIN_ROW_WORK): this model is too large to explain here',
  );
  const rowWork = 256 * weights([128]);
  const big = await gql(a, EXPLAIN, { model: 'big', rows: PIMA_ROWS.slice(0, 100) });
  expect(codeOf(big)).toBe('BAD_USER_INPUT');
  expect(messageOf(big)).toBe(
    `Explaining 100 rows of this version takes ${(100 * rowWork).toExponential(2)} multiply-adds (${rowWork.toExponential(2)} a row); ` +
      `at most 3.00e+7 per call (MAX_EXPLAIN_WORK): send at most ${Math.floor(3e7 / rowWork)} rows per call, or a smaller samples`,
  );
  // What the message says fits is answered.
  const fits = await gqlOk(a, EXPLAIN, { model: 'big', rows: PIMA_ROWS.slice(0, Math.floor(3e7 / rowWork)) });
  expect(fits.explain.explanations).toHaveLength(Math.floor(3e7 / rowWork));
});

it('explains in slices (here 12 rows a call) with the answer of one call per row, in order', async () => {
  const rows = PIMA_ROWS.slice(0, 40);
  expect(Math.floor(1e6 / (256 * weights([32])))).toBe(12); // rows per slice
  const sliced = (await gqlOk(a, EXPLAIN, { model: 'mid', rows })).explain;
  expect(sliced.explanations).toHaveLength(40);
  for (const r of [0, 11, 12, 25, 39]) {
    const alone = (await gqlOk(a, EXPLAIN, { model: 'mid', rows: [rows[r]] })).explain.explanations[0];
    expect(sliced.explanations[r]).toEqual(alone);
  }
});

it("scores a large predict in slices with the answer of small calls, and another tenant's predict runs between its slices", async () => {
  const rows = Array.from({ length: 3000 }, (_, i) => PIMA_ROWS[i % PIMA_ROWS.length]);
  const perSlice = Math.floor(1e6 / weights([256, 256]));
  expect(perSlice).toBe(14);
  // B's model is loaded (and too large to score inline), so its next call only waits for the thread.
  await gqlOk(b, PREDICT, { model: 'wide', rows: [PIMA_ROWS[0]] });
  const {
    order,
    threadWhenSmallAnswered,
    bigAnswer: answerA,
  } = await interleaved(
    app,
    () => gqlOk(a, PREDICT, { model: 'wide', rows }),
    () => gqlOk(b, PREDICT, { model: 'wide', rows: [PIMA_ROWS[1]] }),
  );
  expect(order).toEqual(['small', 'big']);
  // B was scored between A's slices: A still had a slice on the thread when B's answer came (unsliced, A's one call would have finished first).
  expect(threadWhenSmallAnswered.running + threadWhenSmallAnswered.waiting).toBeGreaterThan(0);
  // The sliced answer is the one calls of at most one slice give.
  for (const from of [0, perSlice - 1, 1500, 2986]) {
    const part = (await gqlOk(a, PREDICT, { model: 'wide', rows: rows.slice(from, from + perSlice) })).predict.predictions;
    expect(answerA.predict.predictions.slice(from, from + perSlice)).toEqual(part);
  }
});

it("bounds and slices a tree ensemble's explanation by the nodes a row visits (review 2, N1), with the answer of one call per row", async () => {
  const version = (await gqlOk(a, '{ model(name: "forest") { latestVersion { id } } }')).model.latestVersion.id as string;
  const row = await app.db.prisma.modelVersion.findUniqueOrThrow({ where: { id: version }, select: { topology: true } });
  const cost = treeCostPerRow(row)!;
  expect(cost).toBeGreaterThan(40); // 40 trees, each path more than one node
  const perSlice = Math.max(1, Math.floor(1e6 / (256 * cost)));
  const rows = PIMA_ROWS.slice(0, Math.min(40, Math.floor(3e7 / (256 * cost))));
  expect(rows.length).toBeGreaterThan(perSlice); // several slices
  const sliced = (await gqlOk(a, EXPLAIN, { model: 'forest', rows })).explain;
  for (const r of [0, perSlice - 1, perSlice, rows.length - 1]) {
    const alone = (await gqlOk(a, EXPLAIN, { model: 'forest', rows: [rows[r]] })).explain.explanations[0];
    expect(sliced.explanations[r]).toEqual(alone);
  }
});

it("slices a batch prediction's chunks too (review 5: a 2,000-row chunk held the thread 8–15 s); another tenant's predict runs between them", async () => {
  const datasetId = await uploadCsv(a, PIMA_CSV, 'pima-batch');
  await gqlOk(b, PREDICT, { model: 'wide', rows: [PIMA_ROWS[0]] });
  let path = '';
  const { order, threadWhenSmallAnswered } = await interleaved(
    app,
    async () => (path = await runBatch(a, 'wide', datasetId)),
    () => gqlOk(b, PREDICT, { model: 'wide', rows: [PIMA_ROWS[2]] }),
  );
  expect(order).toEqual(['small', 'big']);
  expect(threadWhenSmallAnswered.running + threadWhenSmallAnswered.waiting).toBeGreaterThan(0);
  const csv = await (await download(a, path)).text();
  expect(csv.trim().split('\n')).toHaveLength(PIMA_ROWS.length + 1);
});
