/**
 * UCI Adult (census income) through the API: categorical columns, `?` as missing, and labels that
 * end with a dot in the test file (`>50K.`).
 *
 * What is uploaded: data/adult-train.csv (32,561 rows) followed by data/adult-test.csv (16,281
 * rows), with the header from adult.names, as one CSV of 48,842 rows. `labelSuffix: "."` makes
 * `>50K.` and `>50K` one class. The service then splits the 48,842 rows 80/20, stratified (seed 42).
 *
 * References: adult.names lists test-set error rates of 14.1-21.4 % for 16 classic algorithms
 * (C4.5 15.54 %, Naive Bayes 16.12 %, NBTree 14.10 %), i.e. accuracy 0.79-0.86; always answering
 * "<=50K" scores 0.761. Threshold (issue 4): accuracy >= 0.82. Measured here: 0.853, ROC AUC 0.912.
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

const HEADER = 'age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income';
const read = (f: string) => fs.readFileSync(path.join(__dirname, '..', 'data', f), 'utf8').trim();

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'adult');
});
afterAll(() => app.stop());

it('profiles and learns Adult income: accuracy >= 0.82', async () => {
  const csv = [HEADER, read('adult-train.csv'), read('adult-test.csv')].join('\n');
  const ds = await uploadOk(t, 'adult.csv', csv, { missingValues: [{ values: ['?'] }] });
  expect(ds.rowCount).toBe(48_842);
  const col = (name: string) => ds.columns.find((c) => c.name === name)!;
  // '?' cells per adult.names / the files: workclass 1,836 + 963, occupation 1,843 + 966, native-country 583 + 274.
  expect([col('workclass').missing, col('occupation').missing, col('native-country').missing]).toEqual([2799, 2809, 857]);
  expect(col('workclass')).toMatchObject({ type: 'categorical', distinct: 8 });
  expect(col('workclass').topValues[0]).toEqual({ value: 'Private', count: 33_906 });
  expect(col('age')).toMatchObject({ type: 'numeric', min: 17, max: 90 });
  expect(
    col('income')
      .topValues.map((v: { value: string }) => v.value)
      .sort(),
  ).toEqual(['<=50K', '<=50K.', '>50K', '>50K.']);

  const v = await trainVersion(t, {
    datasetId: ds.id,
    targetColumn: 'income',
    modelName: 'adult',
    spec: {
      layers: [
        { type: 'DENSE', units: 32, activation: 'RELU' },
        { type: 'DENSE', units: 1, activation: 'SIGMOID' },
      ],
      loss: 'BINARY_CROSSENTROPY',
      optimizer: { name: 'ADAM', learningRate: 0.003 },
      epochs: 3,
      batchSize: 64,
      stratify: true,
      seed: 42,
      // Default pipeline: impute (mean / most frequent), one-hot the 8 categorical columns, standardise.
      preprocessing: { labelSuffix: '.' },
    },
  });
  const m = v.metrics;
  console.log(`Adult network: accuracy ${m.accuracy.toFixed(3)}, ROC AUC ${m.rocAuc.toFixed(3)}, macro F1 ${m.macroF1.toFixed(3)}, ${v.inputs.length} inputs`);
  expect(v.target).toMatchObject({ classes: ['<=50K', '>50K'], labelSuffix: '.' });
  expect(m.testRows).toBe(9768);
  expect(m.accuracy).toBeGreaterThanOrEqual(0.82);
  // Stratified: 20 % of each class (37,155 and 11,687 rows).
  expect(m.perClass.map((c: { label: string; support: number }) => [c.label, c.support])).toEqual([
    ['<=50K', 7431],
    ['>50K', 2337],
  ]);
  const workclass = v.features.find((f: { name: string }) => f.name === 'workclass');
  expect(workclass.steps).toEqual(['impute', 'one_hot']);
  expect(workclass.categories).toContain('Private');

  // An unseen category and a '?' predict without error (all-zero one-hot / imputed).
  const row = {
    age: 40,
    workclass: 'Space-agency',
    fnlwgt: 200000,
    education: 'Masters',
    'education-num': 14,
    'marital-status': 'Married-civ-spouse',
    occupation: '?',
    relationship: 'Husband',
    race: 'White',
    sex: 'Male',
    'capital-gain': 0,
    'capital-loss': 0,
    'hours-per-week': 50,
    'native-country': 'United-States',
  };
  const p = await gqlOk(t, PREDICT, { model: 'adult', rows: [row] });
  expect(['<=50K', '>50K']).toContain(p.predict.predictions[0].label);
});
