/**
 * A large predict of a model whose family cannot tell its cost per row (a text classifier:
 * embedding → pooling → dense) is sliced on the scoring thread by its measured cost (row-cost.ts),
 * as dense networks' are by their weights (issue 10, review 2: one call of 100 long texts held the
 * scoring thread 1.6 s while other tenants' calls waited). The first slice measures the cost; the
 * rest follow it. Another tenant's one-row predict is answered between the slices, and the sliced
 * answer equals small calls' answers. Orderings and values are asserted, never times.
 */
import type { App } from '../../src/app';
import { gqlOk } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { interleaved, PREDICT } from '../support/predict';
import { trainVersion } from '../support/training';

const WORDS = ['free', 'prize', 'call', 'now', 'see', 'you', 'later', 'lunch', 'winner', 'claim', 'home', 'soon'];
const text = (i: number) => Array.from({ length: 6 + (i % 5) }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(' ');
const csv = ['label,message,n', ...Array.from({ length: 120 }, (_, i) => `${i % 2 === 0 ? 'spam' : 'ham'},${text(i)},${i}`)].join('\n');
const SPEC = {
  model: 'TEXT_CLASSIFIER',
  text: { embeddingDim: 16 },
  layers: [{ type: 'DENSE', units: 1, activation: 'SIGMOID' }],
  loss: 'BINARY_CROSSENTROPY',
  epochs: 1,
  batchSize: 32,
  seed: 5,
  preprocessing: { steps: [{ op: 'TOKEN_SEQUENCE', maxTokens: 100, sequenceLength: 64 }] },
};

let app: App;
let a: TenantBundle;
let b: TenantBundle;
beforeAll(async () => {
  // About a millisecond of work a slice: a few rows of this model.
  app = await startTestApp({ SCORING_SLICE_WORK: '1000000' });
  a = await createTenant(app, 'texts-a');
  b = await createTenant(app, 'texts-b');
  for (const t of [a, b]) {
    const datasetId = await uploadCsv(t, csv, 'texts');
    await trainVersion(t, { datasetId, targetColumn: 'label', featureColumns: ['message'], modelName: 'texts', spec: SPEC });
  }
}, 120_000);
afterAll(() => app.stop());

it("slices a text model's large predict by its measured cost; another tenant's predict is answered between the slices, and the answer is the small calls'", async () => {
  const rows = Array.from({ length: 3000 }, (_, i) => ({ message: text(i) }));
  await gqlOk(b, PREDICT, { model: 'texts', rows: [rows[0]] }); // B's version is loaded (and measured)
  const {
    order,
    threadWhenSmallAnswered,
    bigAnswer: answerA,
  } = await interleaved(
    app,
    () => gqlOk(a, PREDICT, { model: 'texts', rows }),
    () => gqlOk(b, PREDICT, { model: 'texts', rows: [rows[1]] }),
  );
  expect(order).toEqual(['small', 'big']);
  // A still had a slice on the thread, or waiting, when B's answer came: unsliced, A's one call would have ended first.
  expect(threadWhenSmallAnswered.running + threadWhenSmallAnswered.waiting).toBeGreaterThan(0);
  expect(answerA.predict.predictions).toHaveLength(3000);
  for (const from of [0, 15, 16, 1500, 2990]) {
    const part = (await gqlOk(a, PREDICT, { model: 'texts', rows: rows.slice(from, from + 10) })).predict.predictions;
    expect(answerA.predict.predictions.slice(from, from + 10)).toEqual(part);
  }
});
