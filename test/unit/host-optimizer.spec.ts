/**
 * Optimizers on the host (src/ml/families/network/host-optimizer.ts) against tfjs-core's Adam and
 * SGD: the same weights after several steps on the same gradients, only for those two, and no
 * tensor left.
 */
import { hostOptimizerFor, MAX_HOST_OPTIMIZER_WEIGHTS } from '../../src/ml/families/network/host-optimizer';
import { initBackend, tf } from '../../src/ml/tf';

beforeAll(async () => {
  await initBackend();
});

it.each([
  ['Adam', () => tf.train.adam(0.05, 0.8, 0.95, 1e-6)],
  ['SGD', () => tf.train.sgd(0.01)],
])('takes the steps tfjs-core %s takes (within float32 rounding), leaving no tensor', (name, make) => {
  const before = tf.memory().numTensors;
  const start = [0.5, -1.25, 2, 0.001, -0.3, 0.75];
  const [ours, theirs] = tf.tidy(() => [tf.variable(tf.tensor2d(start, [2, 3]), true, `host-${name}-a`), tf.variable(tf.tensor2d(start, [2, 3]), true, `host-${name}-b`)]);
  const optimizer = make();
  const settings = make();
  const host = hostOptimizerFor(settings, 6)!;
  settings.dispose();
  // loss = Σ (w − target)² · scale: the gradients differ per step as w moves.
  const objective = (w: tf.Variable, scale: number) => () => tf.sum(tf.mul(tf.square(tf.sub(w, tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]))), scale)) as tf.Scalar;
  for (let step = 0; step < 5; step++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(objective(ours!, step + 1), [ours!]);
      host.apply([ours!], grads);
    });
    tf.tidy(() => void optimizer.minimize(objective(theirs!, step + 1), false, [theirs!]));
  }
  const [a, b] = [ours!.dataSync(), theirs!.dataSync()];
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
  expect(Array.from(a)).not.toEqual(start);
  optimizer.dispose();
  ours!.dispose();
  theirs!.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

it('is only for Adam and plain SGD on small networks: other optimizers and larger networks apply their own steps', () => {
  const sgd = tf.train.sgd(0.01);
  expect(hostOptimizerFor(sgd, 100)).toBeDefined();
  sgd.dispose();
  for (const optimizer of [tf.train.rmsprop(0.01), tf.train.momentum(0.01, 0.9)]) {
    expect(hostOptimizerFor(optimizer, 100)).toBeUndefined();
    optimizer.dispose();
  }
  const adam = tf.train.adam();
  expect(hostOptimizerFor(adam, MAX_HOST_OPTIMIZER_WEIGHTS)).toBeDefined();
  expect(hostOptimizerFor(adam, MAX_HOST_OPTIMIZER_WEIGHTS + 1)).toBeUndefined();
  adam.dispose();
});
