/**
 * Every bad input of the main job answers a coded GraphQL error whose message names the field and
 * the value, writes nothing, and the server keeps serving.
 */
import type { App } from '../src/app';
import { startTestApp } from './support/app';
import { KERAS_SPEC, SLOW_NETWORK, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { START_RUN, startRun, waitForRun } from './support/training';
import { codeOf, gql, gqlOk, uploadFile } from '../src/client/graphql-client';

let app: App;
let t: TenantBundle;
let datasetId: string;

const UPLOAD = 'mutation($csv: String!) { uploadDataset(name: "x", csv: $csv) { id } }';
const PREDICT = 'query($model: String!, $version: Int, $rows: [JSONObject!]!) { predict(model: $model, version: $version, rows: $rows) { version predictions { label } } }';
const ROW = { Pregnancies: 6, Glucose: 148, BloodPressure: 72, SkinThickness: 35, Insulin: 0, BMI: 33.6, DiabetesPedigreeFunction: 0.627, Age: 50 };

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app);
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const run = await startRun(t, datasetId, 'diabetes', { ...KERAS_SPEC, epochs: 2 });
  expect((await waitForRun(t, run.id)).status).toBe('SUCCEEDED');
});
afterAll(() => app.stop());

/** After every error the same tenant can still predict. */
afterEach(async () => {
  const ok = await gqlOk(t, PREDICT, { model: 'diabetes', rows: [ROW] });
  expect(ok.predict.predictions).toHaveLength(1);
});

const run = (input: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
  gql(t, START_RUN, { input: { datasetId, targetColumn: 'Outcome', modelName: 'm', ...input, spec: { ...KERAS_SPEC, ...spec } } });

describe('uploads', () => {
  it.each([
    ['an empty CSV', '', /The CSV is empty/],
    ['only blank lines', '\n\n  \n', /The CSV is empty/],
    ['a header without rows', 'a,b,c\n', /header but no data rows/],
    ['a ragged CSV', 'a,b,c\n1,2,3\n4,5\n', /line 3 has 2 fields/],
    ['a duplicate column', 'a,b,a\n1,2,3\n', /names column 'a' twice/],
  ])('refuses %s', async (_what, csv, message) => {
    const before = await app.db.prisma.dataset.count();
    const r = await gql(t, UPLOAD, { csv });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(message);
    expect(await app.db.prisma.dataset.count()).toBe(before);
  });

  it('refuses both file and csv, or neither', async () => {
    const r = await gql(t, 'mutation { uploadDataset(name: "x") { id } }');
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/exactly one of `file` and `csv`/);
  });

  it('refuses a ragged multipart file the same way', async () => {
    const r = await uploadFile(t, 'bad', 'bad.csv', 'x,y\n1,2\n3\n');
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/line 3 has 1 fields/);
  });
});

describe('starting a training run', () => {
  it('names an unknown target column and suggests the closest', async () => {
    const r = await run({ targetColumn: 'Outcom' });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/targetColumn 'Outcom' is not a column of the dataset \(did you mean 'Outcome'\?\)/);
  });

  it('names an unknown feature column', async () => {
    const r = await run({ featureColumns: ['Glucose', 'Glucoze'] });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/featureColumns 'Glucoze' is not a column.*did you mean 'Glucose'/);
  });

  it('refuses a preprocessing step that does not fit a column', async () => {
    const ds = await uploadCsv(t, 'colour,size,Outcome\nred,1,0\nblue,2,1\nred,3,0\n', 'colours');
    const r = await gql(t, START_RUN, {
      input: {
        datasetId: ds,
        targetColumn: 'Outcome',
        modelName: 'm',
        spec: { ...KERAS_SPEC, layers: [{ units: 1, activation: 'SIGMOID' }], preprocessing: { steps: [{ op: 'STANDARDIZE', columns: ['colour'] }] } },
      },
    });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/spec.preprocessing.steps\[0\] \(STANDARDIZE\) cannot apply to column 'colour', which is categorical/);
  });

  it('answers NOT_FOUND for an unknown dataset', async () => {
    const r = await run({ datasetId: '00000000-0000-0000-0000-000000000000' });
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(r.errors![0].message).toBe("Dataset '00000000-0000-0000-0000-000000000000' not found");
  });

  it.each([
    [
      'inputDim that does not match the features',
      {
        layers: [
          { units: 10, inputDim: 7, activation: 'RELU' },
          { units: 1, activation: 'SIGMOID' },
        ],
      },
      /spec.layers\[0\].inputDim is 7 but 8 feature columns/,
    ],
    [
      'an output layer of the wrong size',
      {
        layers: [
          { units: 10, activation: 'RELU' },
          { units: 3, activation: 'SIGMOID' },
        ],
      },
      /spec.layers\[1\].units is 3 but the target needs 1 output unit/,
    ],
    [
      'a wrong output activation for the loss',
      { layers: [{ units: 1, activation: 'RELU' }] },
      /spec.layers\[0\].activation must be SIGMOID for loss binary_crossentropy, got RELU/,
    ],
    ['a dense layer without units', { layers: [{ activation: 'RELU' }, { units: 1, activation: 'SIGMOID' }] }, /spec.layers\[0\].units is required/],
    ['no layers', { layers: [] }, /spec.layers must have at least one layer/],
    ['zero epochs', { epochs: 0 }, /spec.epochs must be an integer in \[1, 1000\], got 0/],
    ['a negative learning rate', { optimizer: { name: 'SGD', learningRate: -1 } }, /spec.optimizer.learningRate must be a number .* got -1/],
    ['a test fraction of 1', { testFraction: 1 }, /spec.testFraction must be a number in \[0, 0.9\], got 1/],
    [
      'a categorical loss with a sigmoid output',
      { loss: 'CATEGORICAL_CROSSENTROPY', layers: [{ units: 2, activation: 'SIGMOID' }] },
      /activation must be SOFTMAX for loss categorical_crossentropy/,
    ],
  ])('refuses a spec with %s, before queueing', async (_what, spec, message) => {
    const before = await app.db.prisma.trainingRun.count();
    const r = await run({}, spec);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(message);
    expect(await app.db.prisma.trainingRun.count()).toBe(before);
  });

  it('refuses an unknown enum value through GraphQL validation', async () => {
    const r = await run({}, { loss: 'HINGE' });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/HINGE/);
  });
});

describe('arguments with defaults', () => {
  it('refuses an explicit null in a variable for a non-null argument with a default with BAD_USER_INPUT', async () => {
    const viaVariable = await gql(t, 'query($k: Int) { recommendations(model: "diabetes", userId: "u", k: $k) { strategy } }', { k: null });
    expect(codeOf(viaVariable)).toBe('BAD_USER_INPUT');
    expect(viaVariable.errors![0].message).toMatch(/Argument "k"/);
    const topK = await gql(t, 'query($k: Int) { predictImage(model: "diabetes", images: [], topK: $k) { __typename } }', { k: null });
    expect(codeOf(topK)).toBe('BAD_USER_INPUT');
  });
});

describe('predict', () => {
  it.each([
    ['an unknown feature', [{ ...ROW, Glucoze: 1 }], /rows\[0\] has unknown feature 'Glucoze' \(did you mean 'Glucose'\?\)/],
    ['a missing feature', [{ ...ROW, Age: undefined }], /^rows\[0\] is missing feature 'Age': send "Age": null if you do not have its value; the model imputes a missing value$/],
    [
      'missing features (all named)',
      [ROW, { ...ROW, Glucose: undefined, BMI: undefined }],
      /^rows\[1\] is missing features 'Glucose', 'BMI': send each as null \("Glucose": null, …\) if you do not have the values; the model imputes a missing value$/,
    ],
    ['a non-numeric value', [ROW, { ...ROW, BMI: 'fat' }], /rows\[1\].BMI must be a number, got 'fat'/],
    ['a hex literal as a number', [{ ...ROW, Age: '0x1F' }], /rows\[0\].Age must be a number, got '0x1F'/],
    ['no rows', [], /rows is empty/],
  ])('refuses %s', async (_what, rows, message) => {
    const r = await gql(t, PREDICT, { model: 'diabetes', rows });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(message);
  });

  it('answers NOT_FOUND for an unknown model or version', async () => {
    const noModel = await gql(t, PREDICT, { model: 'diabetis', rows: [ROW] });
    expect(codeOf(noModel)).toBe('NOT_FOUND');
    expect(noModel.errors![0].message).toBe("Model 'diabetis' not found (did you mean 'diabetes'?)");
    const noVersion = await gql(t, PREDICT, { model: 'diabetes', version: 7, rows: [ROW] });
    expect(codeOf(noVersion)).toBe('NOT_FOUND');
    expect(noVersion.errors![0].message).toBe("Model version 'diabetes@7' not found");
  });

  it("suggests the closest of the caller's own model names, never another tenant's", async () => {
    const hint = "Model 'Diabetis' not found (did you mean 'diabetes'?)";
    expect((await gql(t, '{ model(name: "Diabetis") { id } }')).errors![0].message).toBe(hint);
    expect((await gql(t, 'mutation { deleteModel(name: "Diabetis") }')).errors![0].message).toBe(hint);
    const v2 = await fetch(t.url.replace(/\/graphql$/, '/v2/models/Diabetis'), { headers: { authorization: `Bearer ${t.token}` } });
    expect([v2.status, (await v2.json()).error]).toEqual([404, hint]);

    // Another tenant with no model: no hint, and the first tenant's model answers as a name nobody has.
    const other = await createTenant(app, 'other');
    const theirs = await gql(other, PREDICT, { model: 'diabetes', rows: [ROW] });
    const typo = await gql(other, PREDICT, { model: 'diabetis', rows: [ROW] });
    expect([codeOf(theirs), theirs.errors![0].message]).toEqual(['NOT_FOUND', "Model 'diabetes' not found"]);
    expect([codeOf(typo), typo.errors![0].message]).toEqual(['NOT_FOUND', "Model 'diabetis' not found"]);
  });

  it("an unknown alias lists the model's aliases, or says how to make one", async () => {
    const PREDICT_ALIAS = 'query($alias: String!, $rows: [JSONObject!]!) { predict(model: "diabetes", alias: $alias, rows: $rows) { version } }';
    const none = await gql(t, PREDICT_ALIAS, { alias: 'production', rows: [ROW] });
    expect([codeOf(none), none.errors![0].message]).toEqual([
      'NOT_FOUND',
      "Model alias 'diabetes@production' not found; model 'diabetes' has no alias yet: setModelAlias (maas alias set) names a version",
    ]);
    await gqlOk(
      t,
      'mutation { a: setModelAlias(model: "diabetes", alias: "production", version: 1) { name } b: setModelAlias(model: "diabetes", alias: "staging", version: 1) { name } }',
    );
    const typo = await gql(t, PREDICT_ALIAS, { alias: 'prod', rows: [ROW] });
    expect(typo.errors![0].message).toBe("Model alias 'diabetes@prod' not found; its aliases are production, staging");
    const close = await gql(t, PREDICT_ALIAS, { alias: 'stagin', rows: [ROW] });
    expect(close.errors![0].message).toBe("Model alias 'diabetes@stagin' not found (did you mean 'staging'?); its aliases are production, staging");
    await gqlOk(t, 'mutation { a: deleteModelAlias(model: "diabetes", alias: "production") b: deleteModelAlias(model: "diabetes", alias: "staging") }');
  });

  it('answers MODEL_NOT_READY while the first version is being trained, NOT_FOUND once its run ended without one', async () => {
    const queued = await startRun(t, datasetId, 'not-yet', { ...SLOW_NETWORK, epochs: 1000 });
    const r = await gql(t, PREDICT, { model: 'not-yet', rows: [ROW] });
    expect(codeOf(r)).toBe('MODEL_NOT_READY');
    expect(r.errors![0].message).toBe("Model 'not-yet' has no trained version yet: a training run for it is queued or running");
    await gqlOk(t, 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }', { id: queued.id });
    expect((await waitForRun(t, queued.id)).status).toBe('CANCELLED');
    // Cancelled: no version is coming, and model(name:) knows no such model either.
    const ended = await gql(t, PREDICT, { model: 'not-yet', rows: [ROW] });
    expect([codeOf(ended), ended.errors![0].message]).toEqual(['NOT_FOUND', "Model 'not-yet' not found"]);
    expect(codeOf(await gql(t, '{ model(name: "not-yet") { id } }'))).toBe('NOT_FOUND');
  });

  it('caps the rows per call', async () => {
    const r = await gql(t, PREDICT, { model: 'diabetes', rows: Array(10_001).fill(ROW) });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toBe('rows has 10001 rows; at most 10000 per call');
  });
});
