/**
 * @jest-environment ./test/setup/onnx-environment.js
 */
/**
 * The numeric preprocessing plan as ONNX operators (src/ml/export/onnx-preprocess.ts) computes
 * what `readRows` + `transformValues` compute: a numeric missing code, imputation, clipping (NaN
 * passing through it), standardisation and min-max scaling, run in onnxruntime-node.
 */
import * as ort from 'onnxruntime-node';
import { OnnxGraph } from '../../src/ml/export/onnx-graph';
import { preprocessingExpressible, preprocessInGraph } from '../../src/ml/export/onnx-preprocess';
import { transformValues } from '../../src/ml/preprocess/fit';
import { readRows } from '../../src/ml/preprocess/read-rows';
import type { FittedPipeline } from '../../src/ml/preprocess/types';

const PIPELINE: FittedPipeline = {
  format: 'maas-pipeline/1',
  columns: [
    {
      name: 'a',
      type: 'numeric',
      missingCodes: ['-999'],
      steps: [
        { op: 'impute', value: 5 },
        { op: 'clip', lower: 0, upper: 10 },
        { op: 'standardize', mean: 4.5, std: 2.25 },
      ],
      outputs: ['a'],
    },
    { name: 'b', type: 'numeric', missingCodes: [], steps: [{ op: 'clip', lower: -1, upper: 1 }], outputs: ['b'] },
    { name: 'c', type: 'numeric', missingCodes: [], steps: [{ op: 'min_max_scale', min: 3, max: 7 }], outputs: ['c'] },
  ],
  target: { name: 'y', task: 'regression' },
  datasetColumns: ['a', 'b', 'c', 'y'],
};

const ROWS = [
  { a: 1, b: 0.5, c: 3 },
  { a: -999, b: null, c: 7 },
  { a: null, b: -3, c: 5.5 },
  { a: 42, b: 2, c: 0 },
  { a: -4, b: 1, c: 100 },
];

it('gives transformValues(readRows(rows)) for missing codes, impute, clip, standardise and min-max', async () => {
  expect(preprocessingExpressible(PIPELINE)).toBe(true);
  const g = new OnnxGraph();
  g.output(preprocessInGraph(g, PIPELINE, 'features'), 'inputs');
  const bytes = g.encode('pre', [{ name: 'features', type: 'float32', dims: [3] }], [{ name: 'inputs', type: 'float32', dims: [3] }], {}, '');
  const session = await ort.InferenceSession.create(bytes);
  const raw = Float32Array.from(ROWS.flatMap((r) => [r.a, r.b, r.c].map((v) => (v === null ? NaN : v))));
  const input = new ort.Tensor('float32', raw, [ROWS.length, 3]);
  const out = await session.run({ features: input });
  const got = Array.from(out.inputs.data as Float32Array);
  input.dispose();
  out.inputs.dispose();
  await session.release();
  const expected = Array.from(transformValues(PIPELINE.columns, readRows(ROWS, PIPELINE), ROWS.length));
  expect(got.map((v) => (Number.isNaN(v) ? 'NaN' : v.toFixed(6)))).toEqual(expected.map((v) => (Number.isNaN(v) ? 'NaN' : v.toFixed(6))));
  expect(got[4]).toBeNaN(); // b missing: clip leaves NaN, as applyValueStep does
});

it('is not expressible with an encoder: the export then takes the model inputs', () => {
  const oneHot: FittedPipeline = {
    ...PIPELINE,
    columns: [{ name: 'k', type: 'categorical', missingCodes: [], steps: [{ op: 'one_hot', categories: ['x', 'y'] }], outputs: ['k=x', 'k=y'] }],
  };
  expect(preprocessingExpressible(oneHot)).toBe(false);
});
