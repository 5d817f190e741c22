/**
 * The convolutional family's shape walk and cost check (src/ml/families/cnn/shape.ts, cost.ts):
 * output sizes as Keras computes them, weights and multiply-adds counted by hand, and every limit
 * refused with QUOTA_EXCEEDED before anything is built.
 */
import { AppError } from '../../src/lib/errors';
import { checkCnnCost, cnnCost } from '../../src/ml/families/cnn/cost';
import { walkLayers } from '../../src/ml/families/cnn/shape';
import { normalizeSpec } from '../../src/ml/spec';
import type { LayerSpec } from '../../src/ml/spec-types';

const spec = (layers: LayerSpec[], batchSize = 32, epochs = 5) => normalizeSpec({ model: 'convolutional_network', layers, batchSize, epochs });

const MNIST: LayerSpec[] = [
  { type: 'conv2d', filters: 16, kernelSize: 3, padding: 'same' },
  { type: 'max_pooling2d', poolSize: 2 },
  { type: 'conv2d', filters: 32, kernelSize: 3, padding: 'same' },
  { type: 'max_pooling2d', poolSize: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 64, activation: 'relu' },
  { type: 'dense', units: 10, activation: 'softmax' },
];

const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.message, details: err.details };
    throw err;
  }
  return { code: 'no error', message: '' };
};

it('walks output shapes and counts weights as Keras does for the MNIST CNN', () => {
  const layers = walkLayers(spec(MNIST).layers, [28, 28, 1]);
  expect(layers.map((l) => l.shape)).toEqual([[28, 28, 16], [14, 14, 16], [14, 14, 32], [7, 7, 32], [1568], [64], [10]]);
  // Keras' model.summary(): 160 + 4,640 + 100,416 + 650 = 105,866 parameters.
  expect(layers.reduce((s, l) => s + l.weights, 0)).toBe(105_866);
  // Multiply-adds: conv1 28·28·16·9, conv2 14·14·32·9·16, dense 1569·64 + 65·10 (biases counted as weights).
  const cost = cnnCost(spec(MNIST), { inputShape: [28, 28, 1], rows: 8000, featureColumns: 0 });
  expect(cost.weights).toBe(105_866);
  expect(cost.work).toBe((28 * 28 * 16 * 9 + 14 * 14 * 16 * 4 + 14 * 14 * 32 * 9 * 16 + 7 * 7 * 32 * 4 + 1569 * 64 + 65 * 10) * 8000 * 5);
});

it('uses floor((n - k) / s) + 1 for valid and ceil(n / s) for same padding', () => {
  const shapes = walkLayers(
    spec([
      { type: 'conv2d', filters: 2, kernelSize: 5, strides: 2 },
      { type: 'average_pooling2d', poolSize: 3, strides: 2, padding: 'same' },
      { type: 'global_average_pooling2d' },
      { type: 'dense', units: 2, activation: 'softmax' },
    ]).layers,
    [31, 30, 3],
  ).map((l) => l.shape);
  expect(shapes).toEqual([[14, 13, 2], [7, 7, 2], [2], [2]]);
});

it.each([
  ['a dense layer on an unflattened image', [{ type: 'dense', units: 2, activation: 'softmax' }], /DENSE\) follows a 8×8×1 feature map; add a FLATTEN/],
  [
    'a kernel larger than its input',
    [{ type: 'conv2d', filters: 2, kernelSize: 9 }, { type: 'flatten' }, { type: 'dense', units: 2, activation: 'softmax' }],
    /does not fit its 8×8 input/,
  ],
  ['pooling after flatten', [{ type: 'flatten' }, { type: 'max_pooling2d' }, { type: 'dense', units: 2, activation: 'softmax' }], /needs an image-shaped input/],
] as const)('refuses %s with BAD_USER_INPUT', (_what, layers, message) => {
  const r = refusal(() => checkCnnCost(spec([...layers] as LayerSpec[]), { inputShape: [8, 8, 1], rows: 10, featureColumns: 0 }));
  expect(r.code).toBe('BAD_USER_INPUT');
  expect(r.message).toMatch(message);
});

it.each([
  [
    'maxParameters',
    [
      { type: 'conv2d', filters: 1024, kernelSize: 3 },
      { type: 'conv2d', filters: 1024, kernelSize: 3 },
      { type: 'global_average_pooling2d' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
    1,
  ],
  ['maxActivations', [{ type: 'conv2d', filters: 64, kernelSize: 3, padding: 'same' }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }], 4096],
  ['maxWork', MNIST, 32],
] as const)('refuses a spec past %s with QUOTA_EXCEEDED', (quota, layers, batchSize) => {
  const r = refusal(() => checkCnnCost(spec([...layers] as LayerSpec[], batchSize, 500), { inputShape: [28, 28, 1], rows: quota === 'maxWork' ? 60_000 : 100, featureColumns: 0 }));
  expect(r.code).toBe('QUOTA_EXCEEDED');
  expect(r.details).toMatchObject({ quota });
  expect(r.message).toMatch(/^CONVOLUTIONAL_NETWORK with \d+ weights/);
});

it('refuses fields of other layer types and non-classification losses', () => {
  expect(refusal(() => spec([{ type: 'max_pooling2d', filters: 3 }, { type: 'flatten' }, { type: 'dense', units: 2, activation: 'softmax' }])).message).toMatch(
    /spec.layers\[0\].filters does not apply to a MAX_POOLING2D layer/,
  );
  expect(refusal(() => normalizeSpec({ model: 'convolutional_network', layers: MNIST, preprocessing: { steps: [{ op: 'standardize' }] } })).message).toMatch(
    /spec.preprocessing.steps is for tabular data/,
  );
  expect(refusal(() => normalizeSpec({ model: 'convolutional_network', layers: MNIST, standardize: true })).message).toMatch(/spec.standardize is for tabular data/);
  expect(refusal(() => normalizeSpec({ model: 'convolutional_network', layers: MNIST, loss: 'mean_squared_error' })).message).toMatch(
    /MEAN_SQUARED_ERROR is not for image classification/,
  );
  expect(refusal(() => normalizeSpec({ model: 'neural_network', layers: MNIST, loss: 'sparse_categorical_crossentropy' })).message).toMatch(
    /spec.layers\[0\].type CONV2D is for image models \(CONVOLUTIONAL_NETWORK\)/,
  );
});
