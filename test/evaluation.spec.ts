/**
 * evaluateModelVersion through the API (issue 14): a version trained on one file, evaluated as a
 * job on another with the same columns; the stored metrics equal an independent computation from
 * `predict` on the same rows (accuracy, ROC AUC, PR AUC, Brier, the confusion matrix at the chosen
 * threshold, the reliability table); a dataset without the version's columns fails with
 * BAD_USER_INPUT naming them; isolated per tenant; needs models:read and datasets:read.
 *
 * Data: Pima (768 rows) split in file order: rows 1-600 train, rows 601-768 (168) are evaluated.
 * Iris (multiclass): trained on every row, evaluated on every third row.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../src/app';
import { codeOf, gql, gqlOk, wsClient, type Caller } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { PREDICT } from './support/predict';
import { trainVersion } from './support/training';

const METRICS = `metrics { task testRows accuracy precision recall f1 rocAuc logLoss confusionMatrix macroF1 mse r2
  prAuc brier ovrMacroAuc calibration { lower upper meanPredicted observedRate count }
  atThreshold { threshold precision recall f1 accuracy confusionMatrix } skippedRows }`;
const EVAL_FIELDS = `id modelVersionId datasetId threshold status failureCode failureMessage startedByKind ${METRICS}`;
const EVALUATE = `mutation($v: ID!, $d: ID!, $th: Float) { evaluateModelVersion(versionId: $v, datasetId: $d, threshold: $th) { id status } }`;

let app: App;
let t: TenantBundle;
let other: TenantBundle;
let version: Record<string, any>;
let evalDatasetId: string;
const [header, ...lines] = PIMA_CSV.trim().split('\n');
const evalLines = lines.slice(600);

/** Follows an evaluation until it ends (waits on its events, never sleeps); returns its final state. */
async function finished(who: Caller & { wsUrl: string; token?: string }, id: string): Promise<Record<string, any>> {
  const client = wsClient(who.wsUrl, who.token);
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe(
        { query: `subscription($id: ID!) { modelEvaluationProgress(id: $id) { ${EVAL_FIELDS} } }`, variables: { id } },
        {
          next: (v) => {
            const e = v.data?.modelEvaluationProgress as Record<string, any> | undefined;
            if (v.errors) reject(new Error(JSON.stringify(v.errors)));
            else if (e && (e.status === 'SUCCEEDED' || e.status === 'FAILED')) resolve(e);
          },
          error: reject,
          complete: () => reject(new Error('ended before the evaluation did')),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const evaluate = async (who: TenantBundle, v: string, d: string, th?: number) => finished(who, (await gqlOk(who, EVALUATE, { v, d, th })).evaluateModelVersion.id);

/** ROC AUC by counting pairs (ties count one half): independent of src/ml. */
function pairAuc(p: number[], y: number[]) {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < p.length; i++)
    for (let j = 0; j < p.length; j++) {
      if (y[i] !== 1 || y[j] !== 0) continue;
      pairs++;
      wins += p[i] > p[j] ? 1 : p[i] === p[j] ? 0.5 : 0;
    }
  return wins / pairs;
}

/** Average precision with distinct scores: the mean over positives of the precision at their rank. */
function averagePrecision(p: number[], y: number[]) {
  const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]);
  let tp = 0;
  let sum = 0;
  order.forEach((i, rank) => {
    if (y[i] === 1) sum += ++tp / (rank + 1);
  });
  return sum / tp;
}

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'evaluation');
  other = await createTenant(app, 'evaluation-other');
  const trainId = await uploadCsv(t, [header, ...lines.slice(0, 600)].join('\n'), 'pima-train');
  evalDatasetId = await uploadCsv(t, [header, ...evalLines].join('\n'), 'pima-holdout');
  version = await trainVersion(t, { datasetId: trainId, targetColumn: 'Outcome', modelName: 'pima-eval', spec: { ...KERAS_SPEC, epochs: 30 } });
}, 240_000);
afterAll(() => app.stop());

it('evaluates a binary classifier on another file: metrics equal an independent computation from predict', async () => {
  const e = await evaluate(t, version.id, evalDatasetId, 0.3);
  expect(e).toMatchObject({ status: 'SUCCEEDED', modelVersionId: version.id, datasetId: evalDatasetId, threshold: 0.3, startedByKind: 'apiKey', failureCode: null });
  const m = e.metrics;
  // The rows, scored through predict (the serving path), and their true labels.
  const rows = evalLines.map((l) =>
    Object.fromEntries(
      l
        .split(',')
        .slice(0, 8)
        .map((v, j) => [header.split(',')[j], Number(v)]),
    ),
  );
  const y = evalLines.map((l) => Number(l.split(',')[8]));
  const preds = (await gqlOk(t, PREDICT, { model: 'pima-eval', rows })).predict.predictions as { label: string; probabilities: number[] }[];
  const p = preds.map((q) => q.probabilities[1]);
  const n = y.length;
  expect(m.testRows).toBe(168);
  expect(m.skippedRows).toBe(0);
  const accuracy = preds.filter((q, i) => Number(q.label) === y[i]).length / n;
  expect(m.accuracy).toBeCloseTo(accuracy, 10);
  expect(m.rocAuc).toBeCloseTo(pairAuc(p, y), 6);
  expect(new Set(p).size).toBe(n); // distinct scores: the simple average precision below applies
  expect(m.prAuc).toBeCloseTo(averagePrecision(p, y), 6);
  const brier = p.reduce((s, pi, i) => s + (pi - y[i]) ** 2, 0) / n;
  expect(m.brier).toBeCloseTo(brier, 6);
  expect(m.brier).toBeGreaterThan(0);
  expect(m.brier).toBeLessThan(0.25); // better than always answering 0.5
  // At threshold 0.3.
  const cm = [
    [0, 0],
    [0, 0],
  ];
  p.forEach((pi, i) => cm[y[i]][pi >= 0.3 ? 1 : 0]++);
  const precision = cm[1][1] / (cm[1][1] + cm[0][1]);
  const recall = cm[1][1] / (cm[1][1] + cm[1][0]);
  expect(m.atThreshold.confusionMatrix).toEqual(cm);
  expect(m.atThreshold.precision).toBeCloseTo(precision, 10);
  expect(m.atThreshold.recall).toBeCloseTo(recall, 10);
  expect(m.atThreshold.f1).toBeCloseTo((2 * precision * recall) / (precision + recall), 10);
  // At 0.5 (the test-metric fields) the matrix is predict's labels against the truth.
  const cm5 = [
    [0, 0],
    [0, 0],
  ];
  preds.forEach((q, i) => cm5[y[i]][Number(q.label)]++);
  expect(m.confusionMatrix).toEqual(cm5);
  // Reliability table: 10 bins holding every row, each bin's rates recomputed.
  expect(m.calibration).toHaveLength(10);
  expect(m.calibration.reduce((s: number, b: any) => s + b.count, 0)).toBe(n);
  for (const [k, b] of m.calibration.entries()) {
    const inBin = p.map((pi, i) => [pi, y[i]]).filter(([pi]) => Math.min(9, Math.floor(pi * 10)) === k);
    expect(b.count).toBe(inBin.length);
    if (inBin.length) {
      expect(b.meanPredicted).toBeCloseTo(inBin.reduce((s, [pi]) => s + pi, 0) / inBin.length, 6);
      expect(b.observedRate).toBeCloseTo(inBin.reduce((s, [, yi]) => s + yi, 0) / inBin.length, 10);
    } else expect([b.meanPredicted, b.observedRate]).toEqual([null, null]);
  }
  console.log(
    `Pima holdout (168 rows): accuracy ${m.accuracy.toFixed(3)} (training test split ${version.metrics.accuracy.toFixed(3)}), ROC AUC ${m.rocAuc.toFixed(3)}, PR AUC ${m.prAuc.toFixed(3)}, Brier ${m.brier.toFixed(3)}, F1@0.3 ${m.atThreshold.f1.toFixed(3)}`,
  );
  // Listed on the version, newest first.
  const listed = (await gqlOk(t, `query($id: ID!) { modelVersion(id: $id) { evaluations { id status metrics { accuracy } } } }`, { id: version.id })).modelVersion.evaluations;
  expect(listed[0]).toEqual({ id: e.id, status: 'SUCCEEDED', metrics: { accuracy: m.accuracy } });
});

it('fails with BAD_USER_INPUT naming the columns a dataset lacks', async () => {
  const cols = header.split(',');
  const keep = cols.map((c, j) => (c === 'Glucose' || c === 'BMI' ? -1 : j)).filter((j) => j >= 0);
  const csv = [keep.map((j) => cols[j]).join(','), ...evalLines.map((l) => keep.map((j) => l.split(',')[j]).join(','))].join('\n');
  const d = await uploadCsv(t, csv, 'pima-no-glucose');
  const e = await evaluate(t, version.id, d);
  expect([e.status, e.failureCode, e.metrics]).toEqual(['FAILED', 'BAD_USER_INPUT', null]);
  expect(e.failureMessage).toBe("Dataset 'pima-no-glucose' lacks the version's columns 'Glucose', 'BMI'");
});

// Review F9: the failure is read with models:read alone, so it counts the unknown labels (cells of
// the dataset) and names the first row, never quoting them.
it('fails with BAD_USER_INPUT counting the labels the version does not know, without quoting them', async () => {
  const relabel = new Map([
    [2, 'maybe'],
    [4, 'unsure'],
    [9, 'maybe'],
  ]);
  const csv = [header, ...evalLines.map((l, i) => (relabel.has(i) ? l.replace(/,[^,]*$/, `,${relabel.get(i)}`) : l))].join('\n');
  const d = await uploadCsv(t, csv, 'pima-odd-labels');
  const e = await evaluate(t, version.id, d);
  expect([e.status, e.failureCode, e.metrics]).toEqual(['FAILED', 'BAD_USER_INPUT', null]);
  expect(e.failureMessage).toBe(
    "Target column 'Outcome' has 2 labels the version does not know, in 3 rows (the first: dataset row 3; read the dataset with the datasets:read scope to see them); its classes are '0', '1'",
  );
});

// Review F9/F12: a regressor's evaluation keeps up to 200 rows' (actual, predicted); the actual
// values are target cells of the evaluated dataset, so deleting the dataset nulls them, as it
// removes the cells from batch results.
it("keeps a regression evaluation's predictions but not the deleted dataset's target values", async () => {
  const bmi = header.split(',').indexOf('BMI');
  const trainId = await uploadCsv(t, [header, ...lines.slice(0, 600)].join('\n'), 'pima-bmi-train');
  const tree = await trainVersion(t, { datasetId: trainId, targetColumn: 'BMI', modelName: 'pima-bmi', spec: { model: 'DECISION_TREE', tree: { maxDepth: 4 }, seed: 42 } });
  const d = await uploadCsv(t, [header, ...evalLines].join('\n'), 'pima-bmi-holdout');
  const e = await evaluate(t, tree.id, d);
  const sample = () => gqlOk(t, 'query($id: ID!) { modelEvaluation(id: $id) { datasetId metrics { testRows testPredictions { actual predicted } } } }', { id: e.id });
  const before = (await sample()).modelEvaluation;
  expect(before.metrics.testRows).toBe(168);
  // Every evaluated row, its BMI as the float32 the evaluation reads.
  const rows: { actual: number | null; predicted: number }[] = before.metrics.testPredictions;
  expect(rows.map((r) => r.actual).sort((a, b) => a! - b!)).toEqual(evalLines.map((l) => Math.fround(Number(l.split(',')[bmi]))).sort((a, b) => a - b));
  expect((await gqlOk(t, 'mutation($id: ID!) { deleteDataset(id: $id) }', { id: d })).deleteDataset).toBe(true);
  expect((await sample()).modelEvaluation).toEqual({
    datasetId: null,
    metrics: { testRows: 168, testPredictions: rows.map((r) => ({ actual: null, predicted: r.predicted })) },
  });
});

it('refuses a threshold outside [0, 1], naming it, and stores nothing', async () => {
  const r = await gql(t, EVALUATE, { v: version.id, d: evalDatasetId, th: 1.5 });
  expect([codeOf(r), r.errors![0].message]).toEqual(['BAD_USER_INPUT', 'threshold 1.5 must be between 0 and 1']);
  const listed = (await gqlOk(t, `query($id: ID!) { modelVersion(id: $id) { evaluations { threshold } } }`, { id: version.id })).modelVersion.evaluations;
  expect(listed.map((x: any) => x.threshold)).not.toContain(1.5);
});

it("answers another tenant's version, dataset or evaluation exactly like an unknown one", async () => {
  const unknown = '00000000-0000-4000-8000-000000000000';
  const otherData = await uploadCsv(other, [header, ...evalLines].join('\n'), 'theirs');
  const msg = (r: any, id: string) => [codeOf(r), r.errors[0].message.replace(id, 'ID')];
  expect(msg(await gql(other, EVALUATE, { v: version.id, d: otherData }), version.id)).toEqual(msg(await gql(other, EVALUATE, { v: unknown, d: otherData }), unknown));
  expect(msg(await gql(t, EVALUATE, { v: version.id, d: otherData }), otherData)).toEqual(msg(await gql(t, EVALUATE, { v: version.id, d: unknown }), unknown));
  expect(codeOf(await gql(t, EVALUATE, { v: version.id, d: otherData }))).toBe('NOT_FOUND');
  const mine = (await gqlOk(t, `query($id: ID!) { modelVersion(id: $id) { evaluations { id } } }`, { id: version.id })).modelVersion.evaluations[0].id;
  expect(msg(await gql(other, 'query($id: ID!) { modelEvaluation(id: $id) { id } }', { id: mine }), mine)).toEqual(
    msg(await gql(other, 'query($id: ID!) { modelEvaluation(id: $id) { id } }', { id: unknown }), unknown),
  );
});

it("pages a version's evaluations (Relay): newest first, cursors, totalCount, a status filter; another tenant sees no version", async () => {
  await evaluate(t, version.id, evalDatasetId, 0.7); // a third evaluation: one SUCCEEDED before, one FAILED, this one
  const all = (await gqlOk(t, `query($id: ID!) { modelVersion(id: $id) { evaluations { id status } } }`, { id: version.id })).modelVersion.evaluations;
  expect(all.length).toBeGreaterThanOrEqual(3);
  const PAGE = `query($id: ID!, $first: Int, $after: String, $status: RunStatus) { modelVersion(id: $id) {
    evaluationsConnection(first: $first, after: $after, status: $status) { totalCount edges { cursor node { id status } } pageInfo { hasNextPage endCursor } } } }`;
  const page = async (v: Record<string, unknown>) => (await gqlOk(t, PAGE, { id: version.id, ...v })).modelVersion.evaluationsConnection;
  const first = await page({ first: 2 });
  expect(first.totalCount).toBe(all.length);
  expect(first.edges.map((e: any) => e.node)).toEqual(all.slice(0, 2));
  expect(first.pageInfo.hasNextPage).toBe(true);
  const rest = await page({ first: 100, after: first.pageInfo.endCursor });
  expect(rest.edges.map((e: any) => e.node)).toEqual(all.slice(2));
  expect(rest.pageInfo.hasNextPage).toBe(false);
  const failed = await page({ status: 'FAILED' });
  expect(failed.edges.map((e: any) => e.node)).toEqual(all.filter((e: any) => e.status === 'FAILED'));
  expect(failed.totalCount).toBe(failed.edges.length);
  expect(codeOf(await gql(t, PAGE, { id: version.id, first: 2, after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');
  expect(codeOf(await gql(other, PAGE, { id: version.id, first: 2 }))).toBe('NOT_FOUND');
});

it('needs datasets:read besides models:read to start one', async () => {
  const key = (await gqlOk(t, 'mutation { createApiKey(input: { name: "models-only", scopes: [MODELS_READ] }) { key } }')).createApiKey.key;
  const r = await gql({ url: t.url, token: key }, EVALUATE, { v: version.id, d: evalDatasetId });
  expect([codeOf(r), r.errors![0].message]).toEqual(['FORBIDDEN', 'This credential lacks the DATASETS_READ scope']);
});

it('evaluates a multiclass classifier: one-vs-rest macro AUC and top-class calibration from predict', async () => {
  const csv = fs.readFileSync(path.join(__dirname, '..', 'data', 'iris.csv'), 'utf8').trim();
  const [h, ...body] = csv.split('\n');
  const part = body.filter((_, i) => i % 3 === 0);
  const trainId = await uploadCsv(t, csv, 'iris');
  const partId = await uploadCsv(t, [h, ...part].join('\n'), 'iris-third');
  const v = await trainVersion(t, {
    datasetId: trainId,
    targetColumn: 'species',
    modelName: 'iris-eval',
    spec: {
      layers: [
        { type: 'DENSE', units: 16, activation: 'RELU' },
        { type: 'DENSE', units: 3, activation: 'SOFTMAX' },
      ],
      loss: 'SPARSE_CATEGORICAL_CROSSENTROPY',
      optimizer: { name: 'ADAM', learningRate: 0.01 },
      epochs: 60,
      batchSize: 16,
      seed: 42,
    },
  });
  const e = await evaluate(t, v.id, partId);
  expect(e.status).toBe('SUCCEEDED');
  const m = e.metrics;
  const cols = h.split(',');
  const rows = part.map((l) =>
    Object.fromEntries(
      l
        .split(',')
        .slice(0, 4)
        .map((x, j) => [cols[j], Number(x)]),
    ),
  );
  const classes = v.target.classes as string[];
  const y = part.map((l) => classes.indexOf(l.split(',')[4]));
  const preds = (await gqlOk(t, PREDICT, { model: 'iris-eval', rows })).predict.predictions as { label: string; probabilities: number[] }[];
  expect(m.testRows).toBe(50);
  expect(m.accuracy).toBeCloseTo(preds.filter((q, i) => q.label === classes[y[i]]).length / 50, 10);
  const ovr = classes.map((_, k) =>
    pairAuc(
      preds.map((q) => q.probabilities[k]),
      y.map((c) => (c === k ? 1 : 0)),
    ),
  );
  expect(m.ovrMacroAuc).toBeCloseTo(ovr.reduce((s, a) => s + a, 0) / 3, 6);
  const brier = preds.reduce((s, q, i) => s + q.probabilities.reduce((t2, pk, k) => t2 + (pk - (y[i] === k ? 1 : 0)) ** 2, 0), 0) / 50;
  expect(m.brier).toBeCloseTo(brier, 6);
  expect(m.calibration.reduce((s: number, b: any) => s + b.count, 0)).toBe(50);
  expect(m.atThreshold).toBeNull();
  console.log(
    `Iris third (50 rows): accuracy ${m.accuracy.toFixed(3)}, one-vs-rest macro AUC ${m.ovrMacroAuc.toFixed(4)}, Brier ${m.brier.toFixed(4)}, PR AUC ${m.prAuc.toFixed(4)}`,
  );
});
