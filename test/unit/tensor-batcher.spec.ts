/**
 * The ONNX micro-batcher's bound on a joined run (src/modules/serving/tensor-batcher.ts, issue 10): a
 * joined run holds its scoring lane for all its calls, and another tenant's call waits for it, so a
 * run joins at most `runRows` rows (InferService passes what one call may answer under
 * INFER_MAX_OUTPUT_VALUES); packed inputs (Float64Array) stay packed when joined.
 */
import type { NamedTensor } from '../../src/ml/tensor-io';
import { TensorBatcher } from '../../src/modules/serving/tensor-batcher';

const specs = { inputs: [{ name: 'x', datatype: 'FP32' as const, shape: [-1, 2] }], outputs: [{ name: 'y', datatype: 'FP32' as const, shape: [-1, 2] }] };

/** A batcher whose model doubles its input, recording each run's rows and input data. */
function doubling() {
  const runs: { rows: number; data: ArrayLike<number> }[] = [];
  const batcher = new TensorBatcher(
    async (inputs: NamedTensor[]) => {
      const x = inputs[0]!;
      runs.push({ rows: x.shape[0]!, data: x.data as ArrayLike<number> });
      return [{ name: 'y', datatype: 'FP32', shape: x.shape, data: Float32Array.from(x.data as ArrayLike<number>, (v) => 2 * v) }];
    },
    specs,
    { maxRows: 64 },
  );
  return { batcher, runs };
}

const call = (rows: number, from: number, packed = false): NamedTensor[] => {
  const values = Array.from({ length: rows * 2 }, (_, i) => from + i);
  return [{ name: 'x', datatype: 'FP32', shape: [rows, 2], data: packed ? Float64Array.from(values) : values }];
};

it.each([
  [Infinity, [4]],
  [2, [2, 2]],
  [1, [1, 1, 1, 1]],
  [3, [3, 1]],
])('with runRows %s, four one-row calls in one turn run as %j rows, each caller getting its own rows', async (runRows, expected) => {
  const { batcher, runs } = doubling();
  const answers = await Promise.all([0, 10, 20, 30].map((from) => batcher.submit(call(1, from), undefined, 1, runRows)));
  expect(runs.map((r) => r.rows)).toEqual(expected);
  expect(answers.map((a) => Array.from(a[0]!.data as ArrayLike<number>))).toEqual([
    [0, 2],
    [20, 22],
    [40, 42],
    [60, 62],
  ]);
});

it('runs a call of runRows rows or more alone at once', async () => {
  const { batcher, runs } = doubling();
  await Promise.all([batcher.submit(call(1, 0), undefined, 1, 2), batcher.submit(call(2, 5), undefined, 2, 2), batcher.submit(call(1, 9), undefined, 1, 2)]);
  expect(runs.map((r) => r.rows).sort()).toEqual([2, 2]);
});

it('joins packed inputs into one Float64Array, in order', async () => {
  const { batcher, runs } = doubling();
  await Promise.all([batcher.submit(call(1, 0, true), undefined, 1), batcher.submit(call(2, 100, true), undefined, 2)]);
  expect(runs).toHaveLength(1);
  expect(Object.prototype.toString.call(runs[0]!.data)).toBe('[object Float64Array]');
  expect(Array.from(runs[0]!.data)).toEqual([0, 1, 100, 101, 102, 103]);
});
