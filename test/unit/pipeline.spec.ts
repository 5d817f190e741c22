import fs from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../src/ml/data/csv';
import { trainFromTable } from '../../src/ml/pipeline';
import { normalizeSpec } from '../../src/ml/spec';
import { initBackend, tf } from '../../src/ml/tf';

const pima = fs.readFileSync(path.join(__dirname, '../../data/pima-diabetes.csv'), 'utf8');

it('trains the Keras reference model on Pima', async () => {
  await initBackend();
  const spec = normalizeSpec({
    layers: [
      { type: 'dense', units: 10, inputDim: 8, activation: 'relu' },
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    loss: 'binary_crossentropy',
  });
  const before = tf.memory().numTensors;
  const trained = await trainFromTable(parseCsv(pima), { target: 'Outcome' }, spec, async () => undefined);
  console.log(
    tf.getBackend(),
    trained.metrics,
    trained.epochs.map((e) => e.loss),
  );
  expect(tf.memory().numTensors).toBe(before);
  expect(trained.metrics.accuracy).toBeGreaterThan(0.7);
});
