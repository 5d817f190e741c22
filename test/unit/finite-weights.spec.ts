/**
 * The divergence check on a network's weights (src/ml/families/network/finite-weights.ts): NaN
 * or ±Infinity anywhere in any weight tensor fails the run with BAD_USER_INPUT naming the epoch.
 */
import { AppError } from '../../src/lib/errors';
import { buildNetwork } from '../../src/ml/families/network/build';
import { requireFiniteWeights, weightsFinite } from '../../src/ml/families/network/finite-weights';
import { normalizeSpec } from '../../src/ml/spec';
import { initBackend, tf } from '../../src/ml/tf';

beforeAll(async () => {
  await initBackend();
});

it('answers whether every value of every tensor is finite, leaving no tensor behind', () => {
  const before = tf.memory().numTensors;
  const ok = [tf.tensor2d([1, -2, 3.4e38, 0], [2, 2]), tf.tensor1d([5])];
  expect(weightsFinite(ok)).toBe(true);
  expect(weightsFinite([])).toBe(true);
  for (const bad of [NaN, Infinity, -Infinity]) {
    const t = tf.tensor1d([1, bad, 2]);
    expect(weightsFinite([...ok, t])).toBe(false);
    t.dispose();
  }
  tf.dispose(ok);
  expect(tf.memory().numTensors).toBe(before);
});

it('fails with BAD_USER_INPUT naming the epoch and the learning rate when a weight is NaN', () => {
  const spec = normalizeSpec({
    model: 'neural_network',
    layers: [
      { type: 'dense', units: 4, activation: 'relu', inputDim: 2 },
      { type: 'dense', units: 1, activation: 'relu' },
    ],
    loss: 'mean_squared_error',
    optimizer: { name: 'adam', learningRate: 10 },
    epochs: 3,
  } as never);
  const model = buildNetwork(spec, 2, 1);
  try {
    expect(() => requireFiniteWeights(model, spec, 2)).not.toThrow();
    const weights = model.getWeights().map((w) => w.clone());
    const kernel = weights[0]!.dataSync().slice();
    kernel[3] = NaN;
    const poisoned = [tf.tensor(kernel, weights[0]!.shape), ...weights.slice(1)];
    model.setWeights(poisoned);
    tf.dispose([...weights, ...poisoned]);
    let thrown: unknown;
    try {
      requireFiniteWeights(model, spec, 2);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('BAD_USER_INPUT');
    expect((thrown as AppError).message).toBe(
      'Training diverged at epoch 2: the weights became non-finite (NaN or Infinity); lower spec.optimizer.learningRate (10) or scale the target',
    );
  } finally {
    model.dispose();
  }
});
