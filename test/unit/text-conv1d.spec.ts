/**
 * TEXT_CLASSIFIER with architecture CONV1D: Conv1D's gradient needs Conv2DBackpropFilter, which
 * the stock WASM backend lacks (tfjs#8474); this runs on WASM when a kernel for it is registered
 * (src/ml/tfjs-kernels/), else on the cpu backend. Learns a rule carried by one word of each text,
 * stores and reloads exactly, and leaves no tensor.
 */
import { parseCsv } from '../../src/ml/data/csv';
import { textFamily } from '../../src/ml/families/text';
import { prepareData } from '../../src/ml/prepare';
import { rng } from '../../src/ml/random';
import { normalizeSpec } from '../../src/ml/spec';
import { initBackend, tf } from '../../src/ml/tf';

beforeAll(async () => {
  await initBackend('wasm');
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) await tf.setBackend('cpu');
});

it('trains a conv1d text classifier, and its artifact scores as the fitted model', async () => {
  const r = rng(5);
  const lines = ['text,label'];
  for (let i = 0; i < 200; i++) {
    const good = r() < 0.5;
    lines.push(`w${Math.floor(r() * 5)} ${good ? 'great' : 'awful'} w${Math.floor(r() * 5)},${good ? 'pos' : 'neg'}`);
  }
  const spec = normalizeSpec({
    model: 'text_classifier',
    text: { architecture: 'conv1d', embeddingDim: 8, filters: 8, kernelSize: 2 },
    layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }],
    loss: 'binary_crossentropy',
    optimizer: { name: 'adam', learningRate: 0.05 },
    epochs: 8,
    batchSize: 16,
    seed: 3,
    preprocessing: { steps: [{ op: 'token_sequence', maxTokens: 20, sequenceLength: 4 }] },
  });
  const data = prepareData(parseCsv(lines.join('\n'), { hasHeader: true }), { target: 'label' }, spec);
  const before = tf.memory().numTensors;
  const fitted = await textFamily.fit(data, spec, { onEpoch: async () => undefined });
  const out = fitted.scorer.score(data.test.x, data.test.rows);
  let right = 0;
  for (let i = 0; i < data.test.rows; i++) if ((out[i] >= 0.5 ? 1 : 0) === data.test.y[i]) right++;
  expect(right / data.test.rows).toBeGreaterThanOrEqual(0.95);
  const topology = JSON.stringify(fitted.artifact.topology);
  expect(topology).toContain('Conv1D');
  expect(topology).toContain('GlobalMaxPooling1D');
  const loaded = await textFamily.load({ framework: 'tfjs-text', topology: JSON.parse(topology), weights: new Uint8Array(fitted.artifact.weights) }, data.pipeline);
  Array.from(loaded.score(data.test.x, data.test.rows)).forEach((v, i) => expect(v).toBeCloseTo(out[i], 6));
  fitted.scorer.dispose();
  loaded.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
