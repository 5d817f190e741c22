/**
 * Dense networks trained in plain JavaScript (src/ml/families/network/js-train.ts) against the
 * TF.js step they replace (train-epoch.ts, the same host Adam): from the same initial weights on the
 * same rows in the same order, one epoch gives the same loss, metrics and weights to float32
 * rounding — for every loss, the accuracy variants, mse/mae metrics, tanh/linear/softmax layers,
 * kernel regularisation and class weights. Networks it does not train (dropout, batch
 * normalisation, other optimizers) are left to TF.js. No tensor is left behind.
 */
import { hostOptimizerFor } from '../../src/ml/families/network/host-optimizer';
import { buildNetwork } from '../../src/ml/families/network/build';
import { jsTrainerFor } from '../../src/ml/families/network/js-train';
import { trainEpoch } from '../../src/ml/families/network/train-epoch';
import { rng } from '../../src/ml/random';
import { normalizeSpec } from '../../src/ml/spec';
import type { TrainingSpec } from '../../src/ml/spec-types';
import { initBackend, tf } from '../../src/ml/tf';

beforeAll(async () => {
  await initBackend();
});

const ROWS = 100; // 3 full batches of 32 and one of 4
const INPUTS = 6;

type Layer = { type: 'dense'; units: number; activation: 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear'; l1?: number; l2?: number };

function specOf(layers: Layer[], loss: string, metrics: string[], extra: Record<string, unknown> = {}): TrainingSpec {
  return normalizeSpec({
    model: 'neural_network',
    layers: layers.map((l, i) => ({ ...l, ...(i === 0 ? { inputDim: INPUTS } : {}) })),
    loss,
    optimizer: { name: 'adam', learningRate: 0.05 },
    metrics,
    epochs: 1,
    batchSize: 32,
    seed: 11,
    ...extra,
  } as never);
}

/** Seeded rows: inputs in [-2, 2), labels by `label` from the inputs. */
function data(label: (row: number[], r: () => number) => number) {
  const random = rng(5);
  const x = new Float32Array(ROWS * INPUTS);
  const y = new Float32Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    const row = Array.from({ length: INPUTS }, () => random() * 4 - 2);
    x.set(row, i * INPUTS);
    y[i] = label(row, random);
  }
  return { x, y };
}

/** One epoch both ways; returns the logs and the weights of each. */
function bothWays(spec: TrainingSpec, outputs: number, x: Float32Array, y: Float32Array, classWeight?: Record<number, number>) {
  const [a, b] = [buildNetwork(spec, INPUTS, outputs), buildNetwork(spec, INPUTS, outputs)];
  const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
  expect(weightsOf(a)).toEqual(weightsOf(b));
  const count = a.countParams();
  const adamA = hostOptimizerFor(a.optimizer, count)!;
  const adamB = hostOptimizerFor(b.optimizer, count)!;
  const yTensor = tf.tidy(() => (spec.loss === 'categorical_crossentropy' ? tf.oneHot(tf.tensor1d(y, 'int32'), outputs).toFloat() : tf.tensor2d(y, [ROWS, 1])));
  const xTensor = tf.tensor2d(x, [ROWS, INPUTS]);
  const tfLogs = trainEpoch(a, { x: xTensor, y: yTensor, batchSize: spec.batchSize, adam: adamA, classWeight, classes: classWeight ? y : undefined });
  tf.dispose([xTensor, yTensor]);
  const js = jsTrainerFor(b, spec, adamB, b.metricsNames.slice(1))!;
  expect(js).toBeDefined();
  const weights = classWeight ? Float32Array.from(y, (c) => classWeight[c] ?? 1) : undefined;
  const jsLogs = js.epoch(x, y, ROWS, spec.batchSize, weights);
  js.writeTo();
  const result = { tfLogs, jsLogs, tfWeights: weightsOf(a), jsWeights: weightsOf(b) };
  for (const m of [a, b]) {
    m.optimizer.dispose();
    m.dispose();
  }
  return result;
}

function expectSame(r: ReturnType<typeof bothWays>) {
  expect(Object.keys(r.jsLogs).sort()).toEqual(Object.keys(r.tfLogs).sort());
  for (const [k, [v]] of Object.entries(r.tfLogs)) expect(Math.abs(r.jsLogs[k]![0]! - v!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v!)));
  r.tfWeights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(r.jsWeights[i]![j]! - v)).toBeLessThan(2e-5)));
}

const binary = data((row) => (row[0]! + row[1]! * row[2]! > 0 ? 1 : 0));
const classes = data((row) => (row[0]! > 0.7 ? 2 : row[1]! > 0 ? 1 : 0));
const values = data((row, r) => row[0]! * 3 - row[3]! + r() * 0.1);

it('trains the seed model as TF.js does (binary cross-entropy, binary accuracy, relu → sigmoid)', () => {
  const before = tf.memory().numTensors;
  const spec = specOf(
    [
      { type: 'dense', units: 10, activation: 'relu' },
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    'binary_crossentropy',
    ['accuracy', 'auc'],
  );
  const r = bothWays(spec, 1, binary.x, binary.y);
  expect(Object.keys(r.tfLogs).sort()).toEqual(['acc', 'loss']);
  expectSame(r);
  expect(tf.memory().numTensors).toBe(before);
});

it('with class weights and L1/L2 kernel regularisation on tanh layers', () => {
  const spec = specOf(
    [
      { type: 'dense', units: 7, activation: 'tanh', l1: 0.01, l2: 0.02 },
      { type: 'dense', units: 5, activation: 'linear', l2: 0.05 },
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    'binary_crossentropy',
    ['accuracy', 'mse'],
  );
  expectSame(bothWays(spec, 1, binary.x, binary.y, { 0: 0.4, 1: 2.5 }));
});

it('multiclass: sparse and one-hot categorical cross-entropy with categorical accuracy', () => {
  for (const loss of ['sparse_categorical_crossentropy', 'categorical_crossentropy']) {
    const spec = specOf(
      [
        { type: 'dense', units: 8, activation: 'relu' },
        { type: 'dense', units: 3, activation: 'softmax' },
      ],
      loss,
      ['accuracy'],
    );
    expectSame(bothWays(spec, 3, classes.x, classes.y));
  }
});

it('regression: mean squared, mean absolute and Huber losses with mse and mae metrics', () => {
  for (const loss of ['mean_squared_error', 'mean_absolute_error', 'huber']) {
    const spec = specOf(
      [
        { type: 'dense', units: 9, activation: 'relu' },
        { type: 'dense', units: 1, activation: 'linear' },
      ],
      loss,
      ['mse', 'mae'],
    );
    expectSame(bothWays(spec, 1, values.x, values.y));
  }
});

// Adam's step hardly depends on the gradient's scale (m/√v): plain SGD shows a gradient off by any factor.
it.each(['binary_crossentropy', 'sparse_categorical_crossentropy', 'categorical_crossentropy', 'mean_squared_error', 'mean_absolute_error', 'huber'])(
  'takes the gradient TF.js takes for %s (plain SGD, every layer kind, regularised)',
  (loss) => {
    const outputs = loss.includes('categorical') ? 3 : 1;
    const last = loss === 'binary_crossentropy' ? 'sigmoid' : outputs > 1 ? 'softmax' : 'linear';
    const spec = specOf(
      [
        { type: 'dense', units: 6, activation: 'tanh', l1: 0.01 },
        { type: 'dense', units: 5, activation: 'relu', l2: 0.03 },
        { type: 'dense', units: 4, activation: 'sigmoid' },
        { type: 'dense', units: outputs, activation: last },
      ],
      loss,
      outputs > 1 ? ['accuracy'] : ['accuracy', 'mse', 'mae'],
      { optimizer: { name: 'sgd', learningRate: 0.5 } },
    );
    const rows = loss === 'binary_crossentropy' ? binary : outputs > 1 ? classes : values;
    expectSame(bothWays(spec, outputs, rows.x, rows.y, loss === 'binary_crossentropy' ? { 0: 3, 1: 0.5 } : undefined));
  },
);

it('leaves other networks and optimizers to TF.js', () => {
  const dense = [
    { type: 'dense', units: 4, activation: 'relu' },
    { type: 'dense', units: 1, activation: 'sigmoid' },
  ];
  const cases: [Record<string, unknown>[], Record<string, unknown>][] = [
    [[dense[0]!, { type: 'dropout', rate: 0.5 }, dense[1]!], {}],
    [[dense[0]!, { type: 'batch_normalization' }, dense[1]!], {}],
    [dense, { optimizer: { name: 'rmsprop', learningRate: 0.1 } }],
    [dense, { optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 } }],
  ];
  for (const [layers, extra] of cases) {
    const spec = specOf(layers as Layer[], 'binary_crossentropy', ['accuracy'], extra);
    const model = buildNetwork(spec, INPUTS, 1);
    expect(jsTrainerFor(model, spec, hostOptimizerFor(model.optimizer, model.countParams()), model.metricsNames.slice(1))).toBeUndefined();
    model.optimizer.dispose();
    model.dispose();
  }
});
