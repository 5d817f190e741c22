/**
 * A run whose weights become NaN or ±Infinity fails (hostile review: a run SUCCEEDED with 14 of 17
 * weights NaN, its loss still finite, and its version answered relu(NaN) = 0 for every row): FAILED
 * with the non-finite loss's code, BAD_USER_INPUT, the epoch named, and no version stored.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, uploadCsv } from './support/factories';
import { startRun, waitForRun } from './support/training';

let app: App;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

it('fails a run whose weights became non-finite though its loss stayed finite, storing no version', async () => {
  const t = await createTenant(app, 'diverge');
  // Targets near float32's largest value: the float32 gradients overflow to Infinity and Adam makes the weights NaN.
  const rows = Array.from({ length: 60 }, (_, i) => `${i % 7},${i % 5},${i % 2 ? '1.5e38' : '3e38'}`);
  const datasetId = await uploadCsv(t, ['a,b,y', ...rows].join('\n') + '\n', 'huge-targets');
  const spec = {
    layers: [
      { type: 'DENSE', units: 4, activation: 'RELU' },
      { type: 'DENSE', units: 1, activation: 'RELU' },
    ],
    loss: 'MEAN_SQUARED_ERROR',
    optimizer: { name: 'ADAM', learningRate: 10 },
    epochs: 3,
  };
  const run = await startRun(t, datasetId, 'diverges', spec, { targetColumn: 'y' });
  const final = await waitForRun(t, run.id);
  expect([final.status, final.failureCode, final.modelVersion]).toEqual(['FAILED', 'BAD_USER_INPUT', null]);
  expect(final.failureMessage).toBe('Training diverged at epoch 1: the weights became non-finite (NaN or Infinity); lower spec.optimizer.learningRate (10) or scale the target');
  const stored = await gqlOk<{ modelsConnection: { totalCount: number } }>(t, '{ modelsConnection(first: 10) { totalCount } }');
  expect(stored.modelsConnection.totalCount).toBe(0);
});

it('fails a MATRIX_FACTORIZATION run whose biases or factors became non-finite though its loss stayed finite (review 6: ratings of ±3e38 stored a version whose every score was NaN)', async () => {
  const t = await createTenant(app, 'diverge-mf');
  const rows = Array.from({ length: 200 }, (_, u) => [`u${u},a${u},3e38`, `u${u},b${u},-3e38`]).flat();
  const datasetId = await uploadCsv(t, ['user,item,rating', ...rows].join('\n') + '\n', 'huge-ratings');
  const spec = { model: 'MATRIX_FACTORIZATION', epochs: 1, matrixFactorization: { userColumn: 'user', itemColumn: 'item', factors: 4 } };
  const run = await startRun(t, datasetId, 'mf-diverges', spec, { targetColumn: 'rating' });
  const final = await waitForRun(t, run.id);
  expect([final.status, final.failureCode, final.modelVersion]).toEqual(['FAILED', 'BAD_USER_INPUT', null]);
  expect(final.failureMessage).toMatch(
    /^MATRIX_FACTORIZATION diverged at epoch 1: its biases or factors became non-finite \(NaN or Infinity\); lower spec\.matrixFactorization\.learningRate \(/,
  );
});
