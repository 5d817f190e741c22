/**
 * California housing (Pace & Barry, 1997; the copy from Géron's "Hands-On Machine Learning", with
 * 207 blank total_bedrooms and the categorical ocean_proximity) through the API, as regression with
 * MSE and L2 regularisation.
 *
 * References: Géron (2019, ch. 2) reports RMSE ≈ 68,600 for linear regression (R² ≈ 0.64) and
 * ≈ 50,000 for a random forest on this data. Threshold (issue 4): R² >= 0.60, reported with RMSE.
 * Measured here (seed 42, 80/20, 10 epochs): R² 0.779, RMSE ≈ 54,500.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { PREDICT } from './support/predict';
import { trainVersion } from './support/training';
import { uploadOk } from './support/uploads';

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'housing');
});
afterAll(() => app.stop());

it('predicts California house values with MSE and L2: R² >= 0.60', async () => {
  const ds = await uploadOk(t, 'housing.csv', fs.readFileSync(path.join(__dirname, '..', 'data', 'california-housing.csv')));
  const col = (name: string) => ds.columns.find((c) => c.name === name)!;
  expect(ds.rowCount).toBe(20_640);
  expect(col('total_bedrooms')).toMatchObject({ type: 'numeric', missing: 207 });
  expect(col('ocean_proximity').topValues).toEqual([
    { value: '<1H OCEAN', count: 9136 },
    { value: 'INLAND', count: 6551 },
    { value: 'NEAR OCEAN', count: 2658 },
    { value: 'NEAR BAY', count: 2290 },
    { value: 'ISLAND', count: 5 },
  ]);
  const l2 = 0.0001;
  const v = await trainVersion(t, {
    datasetId: ds.id,
    targetColumn: 'median_house_value',
    modelName: 'housing',
    spec: {
      layers: [
        { type: 'DENSE', units: 64, activation: 'RELU', l2 },
        { type: 'DENSE', units: 32, activation: 'RELU', l2 },
        { type: 'DENSE', units: 1, activation: 'LINEAR' },
      ],
      loss: 'MEAN_SQUARED_ERROR',
      optimizer: { name: 'ADAM', learningRate: 0.003 },
      epochs: 10,
      batchSize: 64,
      seed: 42,
      // Default pipeline (impute, one-hot ocean_proximity, standardise) plus a standardised target.
      preprocessing: { standardizeTarget: true },
    },
  });
  const m = v.metrics;
  console.log(`California network: R² ${m.r2.toFixed(3)}, RMSE ${m.rmse.toFixed(0)}, MAE ${m.mae.toFixed(0)}`);
  expect(v.task).toBe('regression');
  expect(m.testRows).toBe(4128);
  expect(m.r2).toBeGreaterThanOrEqual(0.6);
  expect(m.rmse).toBeCloseTo(Math.sqrt(m.mse), 6);
  expect(v.features.find((f: { name: string }) => f.name === 'ocean_proximity').steps).toEqual(['impute', 'one_hot']);

  // Predictions come back in dollars (the target scale is undone), with a missing total_bedrooms.
  const row = {
    longitude: -122.23,
    latitude: 37.88,
    housing_median_age: 41,
    total_rooms: 880,
    total_bedrooms: null,
    population: 322,
    households: 126,
    median_income: 8.3252,
    ocean_proximity: 'NEAR BAY',
  };
  const p = await gqlOk(t, PREDICT, { model: 'housing', rows: [row] });
  expect(p.predict.predictions[0].value).toBeGreaterThan(200_000); // actual: 452,600
});
