/**
 * The columnar predict path: a FeatureMatrix read column by column and a `columns` answer decoded
 * straight from the model's outputs give exactly the values of row objects in and
 * `predictions { … }` out — for the same 1,000 Pima rows — and bad matrix values are still refused
 * with the row and feature named; `columns(fields)` builds only the columns asked for. decodeColumns
 * equals decodeOutputs for every task.
 */
import type { App } from '../src/app';
import { codeOf, gql, gqlOk } from '../src/client/graphql-client';
import { decodeColumns, decodeOutputs } from '../src/ml/predict';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_COLUMNS, PIMA_CSV, PIMA_ROWS } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { startRun, waitForRun } from './support/training';

let app: App;
let t: TenantBundle;

const FEATURES = PIMA_COLUMNS.slice(0, 8);
/** 1,000 Pima rows (the 768 cycled, later copies nudged so no two are alike), a few with missing values. */
const ROWS = Array.from({ length: 1000 }, (_, i) => {
  const row: Record<string, number | null> = { ...PIMA_ROWS[i % PIMA_ROWS.length], Glucose: PIMA_ROWS[i % PIMA_ROWS.length].Glucose + Math.floor(i / PIMA_ROWS.length) };
  if (i % 97 === 5) row.Insulin = null;
  return row;
});
const MATRIX = { columns: FEATURES, rows: ROWS.map((r) => FEATURES.map((n) => r[n])) };
const QUERY = (input: 'rows: $rows' | 'matrix: $matrix', out: string) =>
  `query(${input.startsWith('rows') ? '$rows: [JSONObject!]' : '$matrix: FeatureMatrix'}) { predict(model: "cols", ${input}) { version modelVersionId ${out} } }`;

beforeAll(async () => {
  app = await startTestApp({ MAX_PREDICT_ROWS: '1000' });
  t = await createTenant(app, 'columns');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const run = await startRun(t, datasetId, 'cols', { ...KERAS_SPEC, epochs: 3 });
  expect((await waitForRun(t, run.id)).status).toBe('SUCCEEDED');
});
afterAll(() => app.stop());

it('gives the same 1,000 rows identical values through rows → predictions and matrix → columns', async () => {
  const full = 'predictions { label probability probabilities }';
  const [byRows, byMatrix, columns, rowColumns] = await Promise.all([
    gqlOk(t, QUERY('rows: $rows', full), { rows: ROWS }),
    gqlOk(t, QUERY('matrix: $matrix', full), { matrix: MATRIX }),
    gqlOk(t, QUERY('matrix: $matrix', 'columns'), { matrix: MATRIX }),
    gqlOk(t, QUERY('rows: $rows', 'columns'), { rows: ROWS }),
  ]);
  const p = byRows.predict.predictions as { label: string; probability: number; probabilities: number[] }[];
  expect(p).toHaveLength(1000);
  expect(byMatrix.predict.predictions).toEqual(p); // toEqual on floats from JSON: exact equality
  const expected = { label: p.map((x) => x.label), probability: p.map((x) => x.probability), probabilities: p.map((x) => x.probabilities) };
  expect(Object.keys(columns.predict.columns)).toEqual(['label', 'probability', 'probabilities']);
  expect(columns.predict.columns).toEqual(expected);
  expect(rowColumns.predict.columns).toEqual(expected);
  expect(columns.predict.modelVersionId).toBe(byRows.predict.modelVersionId);
  expect(new Set(expected.label)).toEqual(new Set(['0', '1']));
});

it('builds only the columns `fields` names, and refuses one the task does not give', async () => {
  const [all, some] = await Promise.all([
    gqlOk(t, QUERY('matrix: $matrix', 'columns'), { matrix: MATRIX }),
    gqlOk(t, QUERY('matrix: $matrix', 'columns(fields: [PROBABILITY, LABEL])'), { matrix: MATRIX }),
  ]);
  expect(some.predict.columns).toEqual({ label: all.predict.columns.label, probability: all.predict.columns.probability });
  const bad = await gql(t, QUERY('matrix: $matrix', 'columns(fields: [LABEL, VALUE])'), { matrix: MATRIX });
  expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  expect(bad.errors![0].message).toBe("columns(fields)[1] is 'value', which this model does not give; it gives label, probability, probabilities");
});

it('still refuses a bad matrix value naming its row and feature', async () => {
  const rows = MATRIX.rows.slice(0, 5).map((r) => [...r]);
  rows[3][5] = 'heavy' as unknown as number;
  const bad = await gql(t, QUERY('matrix: $matrix', 'columns'), { matrix: { columns: FEATURES, rows } });
  expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  expect(bad.errors![0].message).toBe("matrix.rows[3].BMI must be a number, got 'heavy'");
  rows[3][5] = { kg: 80 } as unknown as number;
  const nested = await gql(t, QUERY('matrix: $matrix', 'columns'), { matrix: { columns: FEATURES, rows } });
  expect(codeOf(nested)).toBe('BAD_USER_INPUT');
  expect(nested.errors![0].message).toMatch(/^matrix\.rows\[3\]\.BMI must be a number or a string/);
});

it('names a bad row past the first slice of a long rows list by its index in the whole list', async () => {
  const rows = ROWS.map((r, i) => (i === 700 ? { ...r, Glucose: 'high' } : r));
  const r = await gql(t, QUERY('rows: $rows', 'predictions { label }'), { rows });
  expect([codeOf(r), r.errors![0].message]).toEqual(['BAD_USER_INPUT', "rows[700].Glucose must be a number, got 'high'"]);
});

it('decodes columns exactly as rows, for binary, multiclass and regression outputs', () => {
  const binary = new Float32Array([0.1, 0.5, 0.93, 0.4999]);
  const b = decodeOutputs(binary, 4, { name: 'y', task: 'binary', classes: ['no', 'yes'] } as never);
  expect(decodeColumns(binary, 4, { name: 'y', task: 'binary', classes: ['no', 'yes'] } as never)).toEqual({
    label: b.map((x) => x.label),
    probability: b.map((x) => x.probability),
    probabilities: b.map((x) => x.probabilities),
  });
  const multi = new Float32Array([0.2, 0.7, 0.1, 0.5, 0.25, 0.25]);
  const target = { name: 'y', task: 'multiclass', classes: ['a', 'b', 'c'] } as never;
  const m = decodeOutputs(multi, 2, target);
  expect(decodeColumns(multi, 2, target)).toEqual({ label: ['b', 'a'], probability: m.map((x) => x.probability), probabilities: m.map((x) => x.probabilities) });
  const values = new Float32Array([1.5, -2.25, 1e6]);
  expect(decodeColumns(values, 3, { name: 'y', task: 'regression' } as never)).toEqual({
    value: decodeOutputs(values, 3, { name: 'y', task: 'regression' } as never).map((x) => x.value),
  });
  expect(decodeColumns(multi, 2, target, new Set(['probability'] as const))).toEqual({ probability: m.map((x) => x.probability) });
  expect(() => decodeColumns(new Float32Array([0.2, NaN]), 2, { name: 'y', task: 'binary', classes: ['a', 'b'] } as never)).toThrow(/rows\[1\]/);
});
