/**
 * Adam on the host (src/ml/families/network/host-adam.ts) against tfjs-core's AdamOptimizer: the
 * same weights after several steps on the same gradients, only for Adam, and no tensor left.
 */
import { hostAdamFor, MAX_HOST_ADAM_WEIGHTS } from '../../src/ml/families/network/host-adam';
import { initBackend, tf } from '../../src/ml/tf';

beforeAll(async () => {
  await initBackend();
});

it('takes the steps tfjs-core Adam takes (within float32 rounding), leaving no tensor', () => {
  const before = tf.memory().numTensors;
  const start = [0.5, -1.25, 2, 0.001, -0.3, 0.75];
  const [ours, theirs] = tf.tidy(() => [tf.variable(tf.tensor2d(start, [2, 3]), true, 'host-adam-a'), tf.variable(tf.tensor2d(start, [2, 3]), true, 'host-adam-b')]);
  const optimizer = tf.train.adam(0.05, 0.8, 0.95, 1e-6);
  const settings = tf.train.adam(0.05, 0.8, 0.95, 1e-6);
  const host = hostAdamFor(settings, 6)!;
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

it('is only for Adam on small networks: other optimizers and larger networks apply their own steps', () => {
  for (const optimizer of [tf.train.rmsprop(0.01), tf.train.sgd(0.01), tf.train.momentum(0.01, 0.9)]) {
    expect(hostAdamFor(optimizer, 100)).toBeUndefined();
    optimizer.dispose();
  }
  const adam = tf.train.adam();
  expect(hostAdamFor(adam, MAX_HOST_ADAM_WEIGHTS)).toBeDefined();
  expect(hostAdamFor(adam, MAX_HOST_ADAM_WEIGHTS + 1)).toBeUndefined();
  adam.dispose();
});
