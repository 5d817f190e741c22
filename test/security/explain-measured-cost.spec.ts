/**
 * A model whose family cannot tell its cost per row (a text classifier: embedding → pooling →
 * dense) is measured once, one scoring call of CALIBRATION_ROWS all-zero rows, and its explanations
 * are bounded by that cost as dense networks' are by their weights (issue 10, review 2 N5: a text
 * model's explanation of 100 texts held the scoring thread for minutes). Here MAX_EXPLAIN_ROW_WORK
 * is 1 multiply-add, so whatever the measurement, one row is refused with the exact message shape.
 */
import type { App } from '../../src/app';
import { codeOf, gql } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { createTenant, uploadCsv } from '../support/factories';
import { trainVersion } from '../support/training';

const WORDS = ['free', 'prize', 'call', 'now', 'see', 'you', 'later', 'lunch', 'winner', 'claim', 'home', 'soon'];
const csv = [
  'label,message,n', // a numeric column makes the header row tell itself from the data
  ...Array.from({ length: 120 }, (_, i) => {
    const spam = i % 2 === 0;
    const words = Array.from({ length: 6 }, (_, k) => WORDS[(spam ? 0 : 4) + ((i + k) % (spam ? 4 : 8))]);
    return `${spam ? 'spam' : 'ham'},${words.join(' ')},${i}`;
  }),
].join('\n');

let app: App;
beforeAll(async () => (app = await startTestApp({ MAX_EXPLAIN_ROW_WORK: '1' })), 60_000);
afterAll(() => app.stop());

it("bounds a text classifier's explanation by its measured cost per row", async () => {
  const t = await createTenant(app, 'text-cost');
  const datasetId = await uploadCsv(t, csv, 'texts');
  const spec = {
    model: 'TEXT_CLASSIFIER',
    text: { embeddingDim: 8 },
    layers: [{ type: 'DENSE', units: 1, activation: 'SIGMOID' }],
    loss: 'BINARY_CROSSENTROPY',
    epochs: 1,
    batchSize: 32,
    preprocessing: { steps: [{ op: 'TOKEN_SEQUENCE', maxTokens: 100, sequenceLength: 16 }] },
  };
  await trainVersion(t, { datasetId, targetColumn: 'label', featureColumns: ['message'], modelName: 'texts', spec });
  const r = await gql(t, 'query($r: [JSONObject!]!) { explain(model: "texts", rows: $r) { evaluations } }', { r: [{ message: 'free prize call now' }] });
  expect(codeOf(r)).toBe('BAD_USER_INPUT');
  expect(r.errors![0]!.message).toMatch(
    /^Explaining one row of this version takes \d+ model evaluations of \d+ multiply-adds each \([\d.]+e\+\d+\); at most 1\.00e\+0 per row \(MAX_EXPLAIN_ROW_WORK\): this model is too large to explain here$/,
  );
});
