/**
 * Small predict calls of a dense network score on the API thread in plain JavaScript
 * (INLINE_SCORING_MAX_MACS; src/ml/families/network/js-scorer.ts) and answer what TF.js answers on
 * the scoring thread: the same probabilities within 1e-6 (relative) and the same labels, for the
 * seed model, a deeper network with every allowed activation (batch normalisation and dropout too)
 * and a regression network (its target scaled back). A call just over the bound goes to the
 * scoring thread, as the metrics show.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { networkInlineScorer } from '../src/ml/families/network/scorer';
import { loadScorer } from '../src/ml/predictor';
import { transformValues } from '../src/ml/preprocess/fit';
import { readRows } from '../src/ml/preprocess/read-rows';
import { readPipeline } from '../src/ml/preprocess/stored';
import { tf } from '../src/ml/tf';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_COLUMNS, PIMA_CSV, PIMA_ROWS } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { PREDICT } from './support/predict';
import { trainVersion } from './support/training';

/** 900 multiply-adds: 10 rows of the seed model (8 × 10 + 10 × 1 = 90 a row) score inline, 11 go to the thread. */
const MAX_MACS = 900;

let app: App;
let t: TenantBundle;
let datasetId: string;
beforeAll(async () => {
  app = await startTestApp({ INLINE_SCORING_MAX_MACS: String(MAX_MACS) });
  t = await createTenant(app, 'inline');
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
}, 60_000);
afterAll(() => app.stop());

/** A deeper network: every activation the platform allows, batch normalisation and dropout. */
const DEEP_LAYERS = [
  { type: 'DENSE', units: 12, inputDim: 8, activation: 'TANH' },
  { type: 'BATCH_NORMALIZATION' },
  { type: 'DROPOUT', rate: 0.2 },
  { type: 'DENSE', units: 10, activation: 'RELU' },
  { type: 'DENSE', units: 6, activation: 'SOFTMAX' },
  { type: 'DENSE', units: 5, activation: 'LINEAR' },
  { type: 'DENSE', units: 4, activation: 'SIGMOID' },
];
const SPECS: Record<string, { target: string; spec: Record<string, unknown>; featureColumns?: string[] }> = {
  seed: { target: 'Outcome', spec: { ...KERAS_SPEC, epochs: 2 } },
  deep: { target: 'Outcome', spec: { ...KERAS_SPEC, epochs: 2, layers: [...DEEP_LAYERS, { type: 'DENSE', units: 1, activation: 'SIGMOID' }] } },
  regression: {
    target: 'BMI',
    featureColumns: PIMA_COLUMNS.slice(0, 8).filter((c) => c !== 'BMI'),
    spec: {
      ...KERAS_SPEC,
      epochs: 2,
      metrics: ['MAE'],
      loss: 'MEAN_SQUARED_ERROR',
      layers: [...DEEP_LAYERS.map((l) => ({ ...l, inputDim: l.inputDim && 7 })), { type: 'DENSE', units: 1, activation: 'LINEAR' }],
    },
  },
};

/** Count of a histogram on /metrics. */
async function observed(name: string): Promise<number> {
  const text = await (await fetch(app.server.url.replace('/graphql', '/metrics'))).text();
  return Number(new RegExp(`^${name}_count(?:\\{[^}]*\\})? (\\d+)`, 'm').exec(text)?.[1] ?? 0);
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);

describe.each(Object.entries(SPECS))('%s network', (name, { target, spec, featureColumns }) => {
  it('scores like TF.js, in-process and through predict; a call past the bound goes to the thread', async () => {
    const v = await trainVersion(t, { datasetId, targetColumn: target, modelName: name, spec, featureColumns });
    const stored = await app.db.prisma.modelVersion.findUniqueOrThrow({ where: { id: v.id } });
    const pipeline = readPipeline(stored.preprocessing);
    const rows = PIMA_ROWS.slice(0, 200).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== target)));
    const x = transformValues(pipeline.columns, readRows(rows, pipeline), rows.length);

    const tensors = tf.memory().numTensors;
    const tfScorer = await loadScorer(stored);
    const expected = tfScorer.score(x, rows.length);
    tfScorer.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    const js = networkInlineScorer(stored, pipeline)!;
    // Dense kernels plus one per batch-normalised unit; the regression network has 7 inputs (BMI is its target).
    const inputs = name === 'regression' ? 7 : 8;
    expect(js.macsPerRow).toBe(name === 'seed' ? 8 * 10 + 10 : inputs * 12 + 12 + 12 * 10 + 10 * 6 + 6 * 5 + 5 * 4 + 4);
    const got = js.score(x, rows.length);
    js.dispose();
    expect(got.length).toBe(expected.length);
    const worst = Math.max(...Array.from(got, (g, i) => relative(g, expected[i])));
    expect(worst).toBeLessThan(1e-6);

    // Through predict: as many rows as MAX_MACS allows (seed: 10) inline, one more on the scoring thread; both as TF.js.
    const inlineRows = Math.floor(MAX_MACS / js.macsPerRow);
    for (const count of [inlineRows, inlineRows + 1]) {
      const [inlineBefore, threadBefore] = [await observed('maas_predict_inline_rows'), await observed('maas_predict_batch_rows')];
      const answer = await gqlOk(t, PREDICT, { model: name, rows: rows.slice(0, count) });
      const onThread = count > inlineRows;
      expect([(await observed('maas_predict_inline_rows')) - inlineBefore, (await observed('maas_predict_batch_rows')) - threadBefore]).toEqual(onThread ? [0, 1] : [1, 0]);
      answer.predict.predictions.forEach((p: { label?: string; probabilities?: number[]; value?: number }, i: number) => {
        if (target === 'Outcome') {
          expect(relative(p.probabilities![1], expected[i])).toBeLessThan(1e-6);
          expect(p.label).toBe(expected[i] >= 0.5 ? '1' : '0');
        } else expect(relative(p.value!, expected[i])).toBeLessThan(1e-6);
      });
    }
  }, 120_000);
});
