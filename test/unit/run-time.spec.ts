/**
 * The run-time estimate (src/ml/run-time.ts) per family, and the refusal at twice the limit.
 */
import { AppError } from '../../src/lib/errors';
import { familyOf } from '../../src/ml/families/registry';
import { checkRunTime, estimateRunTime, RUN_TIME_RATES } from '../../src/ml/run-time';
import { normalizeSpec } from '../../src/ml/spec';
import type { SpecInput } from '../../src/ml/spec-types';

const estimate = (input: SpecInput, shape: { inputs: number; rows: number; outputs?: number }) => {
  const spec = normalizeSpec(input);
  return estimateRunTime(familyOf(spec.model), spec, { featureColumns: shape.inputs, outputs: 1, ...shape })!;
};

it('estimates a dense network: 3 multiply-adds per weight, row and epoch, plus 1 ms a batch and 0.5 s', () => {
  const layers = [
    { type: 'dense' as const, units: 64, inputDim: 8, activation: 'relu' as const },
    { type: 'dense' as const, units: 1, activation: 'sigmoid' as const },
  ];
  // 641 weights, 40,000 rows, batch 1, 200 epochs: work 5.1e9 (far under TRAINING_MAX_WORK) but 8e6 batches.
  const e = estimate({ layers, loss: 'binary_crossentropy', epochs: 200, batchSize: 1 }, { inputs: 8, rows: 40_000 });
  expect(RUN_TIME_RATES).toMatchObject({ tfjsMultiplyAddsPerSecond: 1e9, batchSeconds: 1e-3, runSeconds: 0.5 });
  expect(e.seconds).toBeCloseTo((3 * 641 * 40_000 * 200) / 1e9 + 8_000_000 * 1e-3 + 0.5, 6);
  expect(e.basis).toBe('1.5e+10 multiply-adds at 1.0e+9/s + 8000000 batches at 1 ms + 0.5 s');
});

it('estimates trees by trees × levels × rows × (inputs + 8), levels bounded by depth, leaves and rows', () => {
  const forest = estimate({ model: 'random_forest', tree: { nEstimators: 100, maxDepth: 30 } }, { inputs: 50, rows: 100_000 });
  // log2(100,000 / minSamplesLeaf 1) → 17 levels, under maxDepth 30.
  expect(forest.basis).toBe('100 tree(s) × 17 levels × 100000 rows × (50 inputs + 8) = 9.9e+9 visits at 1.0e+8/s + 0.5 s');
  expect(forest.seconds).toBeCloseTo((100 * 17 * 100_000 * 58) / 1e8 + 0.5, 6);
  const boosted = estimate({ model: 'gradient_boosting', tree: { nEstimators: 100, maxLeafNodes: 31 } }, { inputs: 10, rows: 1000 });
  expect(boosted.basis).toMatch(/^100 tree\(s\) × 5 levels × 1000 rows/); // log2(31) → 5
});

it('estimates matrix factorisation by ratings × factors × epochs', () => {
  const spec = normalizeSpec({ model: 'matrix_factorization', task: 'regression', epochs: 30, matrixFactorization: { userColumn: 'u', itemColumn: 'i', factors: 50 } });
  const e = estimateRunTime(familyOf(spec.model), spec, { inputs: 2, outputs: 1, featureColumns: 2, rows: 80_000 })!;
  expect(e.seconds).toBeCloseTo((80_000 * 50 * 30) / 2e8 + 0.5, 6);
});

it('refuses only past twice the limit, with the estimate and the limit in the message and details', () => {
  expect(() => checkRunTime('neural_network', { seconds: 20, basis: 'b' }, 10)).not.toThrow();
  expect(() => checkRunTime('neural_network', undefined, 1)).not.toThrow(); // a family without an estimate
  let err: unknown;
  try {
    checkRunTime('random_forest', { seconds: 20.2, basis: 'the terms' }, 10);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({
    code: 'QUOTA_EXCEEDED',
    message:
      "This RANDOM_FOREST run is estimated to take about 21 s (the terms); the time limit is 10 s per run (TRAINING_MAX_RUN_SECONDS, or the tenant's trainingMaxRunSeconds), and runs estimated past 2× the limit are refused: use fewer epochs or trees, a larger spec.batchSize, a smaller model or fewer rows",
    details: { reason: 'RUN_TIME_LIMIT', quota: 'maxRunSeconds', estimateSeconds: 21, limit: 10 },
  });
});
