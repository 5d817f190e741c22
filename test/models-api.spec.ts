/**
 * The model zoo through GraphQL on a mixed-type data set (numeric with missing codes, categorical,
 * boolean, text, datetime): spec validation before queueing, a network with a declared pipeline,
 * batch normalisation, dropout, class weights and early stopping, a decision tree with feature
 * importances, and predictions through the API that equal what the training code computes for the
 * same raw rows.
 */
import type { App } from '../src/app';
import { gql, gqlOk } from '../src/client/graphql-client';
import { parseCsv } from '../src/ml/data/csv';
import { decodeOutputs } from '../src/ml/predict';
import { loadScorer } from '../src/ml/predictor';
import { prepareData } from '../src/ml/prepare';
import { transformValues } from '../src/ml/preprocess/fit';
import { tableValues } from '../src/ml/preprocess/frame';
import type { TrainingSpec } from '../src/ml/spec';
import { rng } from '../src/ml/random';
import { tf } from '../src/ml/tf';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { PREDICT } from './support/predict';
import { START_RUN, startError, trainVersion, type RunInput } from './support/training';
import { uploadOk } from './support/uploads';

/** 400 synthetic customers; `churn` depends on age, plan, the review's words and membership. */
function mixedCsv(): string {
  const r = rng(7);
  const plans = ['basic', 'plus', 'pro', 'team'];
  const good = ['great service fast support', 'love the product', 'works well every day'];
  const bad = ['slow and buggy app', 'terrible support never again', 'too expensive for what it does'];
  const lines = ['age,plan,member,review,joined,spend,churn'];
  for (let i = 0; i < 400; i++) {
    const age = 18 + Math.floor(r() * 60);
    const plan = plans[Math.floor(r() * 4)];
    const member = r() < 0.5 ? 'yes' : 'no';
    const score = (age - 45) / 20 + (plan === 'basic' ? 1 : -0.5) + (member === 'no' ? 0.7 : -0.7) + (r() - 0.5);
    const review = (score > 0.3 ? bad : good)[Math.floor(r() * 3)];
    const day = 1 + Math.floor(r() * 28);
    const spend = (r() * 100).toFixed(2);
    const ageCell = i % 23 === 0 ? '?' : i % 31 === 0 ? '' : String(age);
    lines.push(`${ageCell},${plan},${member},"${review}",2024-03-${String(day).padStart(2, '0')},${spend},${score > 0.3 ? 'left' : 'stayed'}`);
  }
  return lines.join('\n');
}

const CSV = mixedCsv();
const MISSING = [{ column: 'age', values: ['?'] }];
let app: App;
let t: TenantBundle;
let datasetId: string;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'zoo');
  const ds = await uploadOk(t, 'customers.csv', CSV, { missingValues: MISSING });
  datasetId = ds.id;
  expect(ds.columns.map((c) => [c.name, c.type])).toEqual([
    ['age', 'numeric'],
    ['plan', 'categorical'],
    ['member', 'boolean'],
    ['review', 'text'],
    ['joined', 'datetime'],
    ['spend', 'numeric'],
    ['churn', 'categorical'],
  ]);
  expect(ds.columns[0].missing).toBe(18 + 12); // '?' in every 23rd row (18), blank in the other 31st rows (12)
});
afterAll(() => app.stop());

const NET: Record<string, unknown> = {
  layers: [
    { type: 'DENSE', units: 16, activation: 'RELU', l1: 0.0001, l2: 0.001 },
    { type: 'BATCH_NORMALIZATION' },
    { type: 'DROPOUT', rate: 0.1 },
    { type: 'DENSE', units: 1, activation: 'SIGMOID' },
  ],
  loss: 'BINARY_CROSSENTROPY',
  optimizer: { name: 'RMSPROP', learningRate: 0.01 },
  epochs: 60,
  batchSize: 32,
  validationSplit: 0.2,
  earlyStopping: { monitor: 'VAL_ACCURACY', patience: 8 },
  balanceClasses: true,
  stratify: true,
  seed: 3,
  preprocessing: {
    steps: [
      { op: 'IMPUTE', strategy: 'MEDIAN', columns: ['age'] },
      { op: 'CLIP', method: 'Z_SCORE', threshold: 3, columns: ['age'] },
      { op: 'STANDARDIZE', columns: ['age', 'joined'] },
      { op: 'MIN_MAX_SCALE', columns: ['spend'] },
      { op: 'ONE_HOT', columns: ['plan', 'member'] },
      { op: 'TF_IDF', columns: ['review'], maxTokens: 20 },
    ],
  },
};
const run = (spec: Record<string, unknown>, extra: Partial<RunInput> = {}): RunInput => ({ datasetId, targetColumn: 'churn', modelName: 'churn', spec, ...extra });

describe('spec validation, before anything is queued', () => {
  it.each([
    [
      'a dense field on a batch-normalisation layer',
      {
        layers: [
          { units: 8, activation: 'RELU' },
          { type: 'BATCH_NORMALIZATION', units: 3 },
          { units: 1, activation: 'SIGMOID' },
        ],
      },
      /spec.layers\[1\].units is for dense layers; layer 1 is BATCH_NORMALIZATION/,
    ],
    [
      'a dropout rate on a dense layer',
      {
        layers: [
          { units: 8, activation: 'RELU', rate: 0.5 },
          { units: 1, activation: 'SIGMOID' },
        ],
      },
      /spec.layers\[0\].rate is for dropout layers; layer 0 is DENSE/,
    ],
    [
      'a momentum on a dropout layer',
      {
        layers: [
          { units: 8, activation: 'RELU' },
          { type: 'DROPOUT', rate: 0.2, momentum: 0.9 },
          { units: 1, activation: 'SIGMOID' },
        ],
      },
      /spec.layers\[1\].momentum is for batch normalization layers; layer 1 is DROPOUT/,
    ],
    [
      'a dropout layer without a rate',
      { layers: [{ units: 8 }, { type: 'DROPOUT' }, { units: 1, activation: 'SIGMOID' }] },
      /spec.layers\[1\].rate is required for a dropout layer/,
    ],
    ['a negative L2 factor', { layers: [{ units: 1, activation: 'SIGMOID', l2: -1 }] }, /spec.layers\[0\].l2 must be a number in \[0, 10\], got -1/],
    [
      'a softmax output for a binary loss',
      { layers: [{ units: 1, activation: 'SOFTMAX' }] },
      /spec.layers\[0\].activation must be SIGMOID for loss binary_crossentropy, got SOFTMAX/,
    ],
    ['early stopping on validation loss without validation rows', { validationSplit: 0 }, /spec.earlyStopping.monitor VAL_ACCURACY needs validation rows/],
    [
      'a class weight for an unknown class',
      { balanceClasses: null, classWeights: [{ label: 'maybe', weight: 2 }] },
      /spec.classWeights\[0\].label 'maybe' is not a class of 'churn'; classes are stayed, left/,
    ],
    ['a task that contradicts the loss', { task: 'MULTICLASS' }, /spec.task is MULTICLASS but loss binary_crossentropy is for BINARY targets/],
    [
      'a numeric step on a categorical column',
      { preprocessing: { steps: [{ op: 'STANDARDIZE', columns: ['plan'] }] } },
      /spec.preprocessing.steps\[0\] \(STANDARDIZE\) cannot apply to column 'plan', which is categorical/,
    ],
    [
      'a text column left unencoded',
      { preprocessing: { steps: [{ op: 'ONE_HOT' }] } },
      /feature column 'review' is text and no step encodes it; add a TF_IDF or TOKEN_COUNTS step/,
    ],
    [
      'an input size that does not match the encoded columns',
      {
        layers: [
          { units: 4, inputDim: 6 },
          { units: 1, activation: 'SIGMOID' },
        ],
        preprocessing: { steps: [{ op: 'BUCKETIZE', boundaries: [30, 50], columns: ['age'] }, { op: 'ONE_HOT' }, { op: 'TF_IDF' }] },
        featureColumns: ['age', 'spend'],
      },
      /spec.layers\[0\].inputDim is 6 but the 2 feature columns encode to 4 model inputs/,
    ],
    ['layers on a decision tree', { model: 'DECISION_TREE', balanceClasses: null }, /spec.layers must be empty for DECISION_TREE/],
    [
      'a tree depth of 0',
      {
        model: 'DECISION_TREE',
        layers: [],
        loss: null,
        optimizer: null,
        epochs: null,
        batchSize: null,
        validationSplit: 0,
        earlyStopping: null,
        balanceClasses: null,
        tree: { maxDepth: 0 },
      },
      /spec.tree.maxDepth must be an integer in \[1, 30\], got 0/,
    ],
    ['class weights on a forest', { model: 'RANDOM_FOREST', layers: [], loss: null, earlyStopping: null }, /spec.classWeights and spec.balanceClasses are for neural networks/],
  ])('refuses %s', async (_what, change, message) => {
    const { featureColumns, ...spec } = change as Record<string, unknown>;
    const before = await app.db.prisma.trainingRun.count();
    const err = await startError(t, run({ ...NET, ...spec }, featureColumns ? { featureColumns: featureColumns as string[] } : {}));
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(message) });
    expect(await app.db.prisma.trainingRun.count()).toBe(before);
  });

  it.each([
    [
      'a regression loss on a categorical target',
      'plan',
      { layers: [{ units: 1 }], loss: 'MEAN_SQUARED_ERROR' },
      /Target column 'plan' is categorical; Loss mean_squared_error needs a numeric target/,
    ],
    ['a binary loss on a 4-class target', 'plan', {}, /Loss binary_crossentropy needs a target with 2 classes; column 'plan' has 4/],
    [
      'multiclass on a continuous target',
      'spend',
      { layers: [{ units: 3, activation: 'SOFTMAX' }], loss: 'SPARSE_CATEGORICAL_CROSSENTROPY' },
      /Target column 'spend' holds non-integer numbers/,
    ],
  ])('checks the task against the target: %s', async (_what, targetColumn, spec, message) => {
    const err = await startError(t, run({ ...NET, earlyStopping: null, balanceClasses: null, preprocessing: null, ...spec }, { targetColumn }));
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(message) });
    // Named as the loss's refusal, so the console shows it beside the Loss field.
    const r = await gql(t, START_RUN, { input: run({ ...NET, earlyStopping: null, balanceClasses: null, preprocessing: null, ...spec }, { targetColumn }) });
    expect(r.errors![0].extensions?.field).toBe('spec.loss');
  });

  it('refuses an unknown enum value through GraphQL validation', async () => {
    const r = await gql(t, START_RUN, { input: run({ ...NET, model: 'XGBOOST' }) });
    expect(r.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

/** Raw rows exactly as the CSV has them (strings; '' for an empty cell). */
function csvRows(indices: number[]) {
  const table = parseCsv(CSV);
  return indices.map((i) =>
    Object.fromEntries(
      table.columns.map((name, j) => [
        name,
        table.data[j].kind === 'numeric'
          ? Number.isNaN((table.data[j] as { values: Float64Array }).values[i])
            ? ''
            : String((table.data[j] as { values: Float64Array }).values[i])
          : ((table.data[j] as { codes: Int32Array; dictionary: string[] }).dictionary[(table.data[j] as { codes: Int32Array }).codes[i]] ?? ''),
      ]),
    ),
  );
}

/**
 * The proof that serving applies what training applied: the version's stored pipeline equals the
 * one the training code fits for the same spec and data, and the API's predictions for raw CSV rows
 * equal the model run on the training code's matrix for those rows.
 */
async function expectServingEqualsTraining(versionId: string, model: string, indices: number[]) {
  const stored = await app.db.prisma.modelVersion.findUniqueOrThrow({ where: { id: versionId }, include: { trainingRun: true } });
  const spec = stored.trainingRun!.spec as unknown as TrainingSpec;
  const table = parseCsv(CSV, { missingValues: MISSING });
  const data = prepareData(table, { target: 'churn' }, spec);
  expect(stored.preprocessing).toEqual(JSON.parse(JSON.stringify(data.pipeline)));

  const rows = Int32Array.from(indices);
  const values = data.pipeline.columns.map((c) => tableValues(table.data[table.columns.indexOf(c.name)], c.type, rows));
  const x = transformValues(data.pipeline.columns, values, rows.length);
  const scorer = await loadScorer(stored);
  const offline = decodeOutputs(scorer.score(x, rows.length), rows.length, data.pipeline.target);
  scorer.dispose();

  const raw = csvRows(indices);
  expect(raw.some((r) => r.age === '?') && raw.some((r) => r.age === '')).toBe(true); // both kinds of missing
  const api = await gqlOk(t, PREDICT, { model, rows: raw });
  api.predict.predictions.forEach((p: { label: string; probabilities: number[] }, i: number) => {
    expect(p.label).toBe(offline[i].label);
    p.probabilities.forEach((q, k) => expect(q).toBeCloseTo(offline[i].probabilities![k], 6));
  });
}

const SAMPLE = Array.from({ length: 70 }, (_, i) => i); // includes rows 0, 23, 31, 46, 62

it('trains a network with a declared pipeline, batch norm, class weights and early stopping; serving equals training', async () => {
  const tensors = tf.memory().numTensors;
  const v = await trainVersion(t, run(NET));
  expect(tf.memory().numTensors).toBe(tensors);
  expect(v.framework).toBe('tfjs-layers');
  expect(v.metrics.accuracy).toBeGreaterThan(0.8);
  expect(v.metrics.bestEpoch).toBeGreaterThan(0);
  expect(v.features.map((f: { name: string; steps: string[] }) => [f.name, f.steps])).toEqual([
    ['age', ['impute', 'clip', 'standardize']],
    ['plan', ['one_hot']],
    ['member', ['one_hot']],
    ['review', ['tf_idf']],
    ['joined', ['impute', 'standardize']],
    ['spend', ['impute', 'min_max_scale']],
  ]);
  expect(v.inputs).toContain('review:support');
  await expectServingEqualsTraining(v.id, 'churn', SAMPLE);

  // An unseen category, an unknown word and a missing date predict without error.
  const odd = { age: 40, plan: 'enterprise', member: true, review: 'zzz qqq', joined: null, spend: 10, churn: 'left' };
  const p = await gqlOk(t, PREDICT, { model: 'churn', rows: [odd] });
  expect(['left', 'stayed']).toContain(p.predict.predictions[0].label);
});

it('trains a decision tree with feature importances; serving equals training', async () => {
  const v = await trainVersion(t, run({ model: 'DECISION_TREE', tree: { maxDepth: 6, minSamplesSplit: 4 }, stratify: true, seed: 3 }, { modelName: 'churn-tree' }));
  expect(v).toMatchObject({ framework: 'decision-tree', task: 'binary', standardize: false });
  expect(v.metrics.accuracy).toBeGreaterThan(0.75);
  const byColumn = new Map<string, number>();
  for (const f of v.featureImportances) byColumn.set(f.column, (byColumn.get(f.column) ?? 0) + f.importance);
  expect([...byColumn.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  expect(byColumn.get('spend')!).toBeLessThan(0.1); // noise
  await expectServingEqualsTraining(v.id, 'churn-tree', SAMPLE);
});
