/**
 * The tree families on the histogram learner: what the family contract does not cover — spec
 * rules per kind, importances, the cost bound, early stopping and per-round progress.
 */
import { AppError } from '../../src/lib/errors';
import { DEFAULT_COST_LIMITS } from '../../src/ml/cost-limits';
import { parseCsv } from '../../src/ml/data/csv';
import { familyOf } from '../../src/ml/families/registry';
import { trainFromTable } from '../../src/ml/pipeline';
import { rng } from '../../src/ml/random';
import { normalizeSpec } from '../../src/ml/spec';
import { MAX_TREE_WORK } from '../../src/ml/trees/tree-family';

function data(rows = 300) {
  const r = rng(5);
  const lines = ['a,b,noise,cls,val'];
  for (let i = 0; i < rows; i++) {
    const [a, b, n] = [r(), r(), r()];
    lines.push(`${a},${b},${n},${a + b > 1 ? (a > 0.7 ? 'hi' : 'mid') : 'lo'},${3 * a - b}`);
  }
  return parseCsv(lines.join('\n'));
}

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return `${(err as AppError).code}: ${(err as Error).message}`;
  }
  return 'no error';
};

it.each(['decision_tree', 'random_forest', 'gradient_boosting'] as const)('%s: multiclass probabilities, importances favour the informative inputs', async (model) => {
  const spec = normalizeSpec({ model, tree: { maxDepth: 5, nEstimators: model === 'decision_tree' ? 1 : 20 }, seed: 1 });
  const trained = await trainFromTable(data(), { target: 'cls', features: ['a', 'b', 'noise'] }, spec, async () => undefined);
  expect(trained.metrics.task).toBe('multiclass');
  expect(trained.metrics.accuracy).toBeGreaterThan(0.8);
  const imp = trained.featureImportances!.map((f) => f.importance);
  expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  expect(imp[2]).toBeLessThan(Math.min(imp[0], imp[1]));
});

it('regression trees fit a linear target (R² > 0.9 for boosting)', async () => {
  const spec = normalizeSpec({ model: 'gradient_boosting', task: 'regression', tree: { nEstimators: 100 } });
  const trained = await trainFromTable(data(600), { target: 'val', features: ['a', 'b'] }, spec, async () => undefined);
  expect(trained.metrics.r2).toBeGreaterThan(0.9);
  expect(trained.epochs).toHaveLength(100); // one progress event per boosting round
});

it('boosting stops early on the validation loss and keeps the best round', async () => {
  const spec = normalizeSpec({
    model: 'gradient_boosting',
    validationSplit: 0.25,
    tree: { nEstimators: 400, learningRate: 0.5, maxLeafNodes: 31, minSamplesLeaf: 1 },
    earlyStopping: { monitor: 'val_loss', patience: 5 },
  });
  const trained = await trainFromTable(data(), { target: 'cls', features: ['a', 'b', 'noise'] }, spec, async () => undefined);
  expect(trained.stoppedEarly).toBe(true);
  expect(trained.epochs.length).toBeLessThan(400);
  expect(trained.epochs.every((e) => e.valLoss !== undefined)).toBe(true);
  const best = Math.min(...trained.epochs.map((e) => e.valLoss!));
  expect(trained.epochs[trained.bestEpoch! - 1].valLoss).toBe(best);
});

it('refuses options of another kind, and monitors boosting cannot use', () => {
  expect(message(() => normalizeSpec({ model: 'random_forest', tree: { learningRate: 0.1 } }))).toBe(
    'BAD_USER_INPUT: spec.tree.learningRate is for GRADIENT_BOOSTING; RANDOM_FOREST does not take it',
  );
  expect(message(() => normalizeSpec({ model: 'decision_tree', tree: { nEstimators: 10 } }))).toMatch(
    /^BAD_USER_INPUT: spec.tree.nEstimators is for RANDOM_FOREST and GRADIENT_BOOSTING/,
  );
  expect(message(() => normalizeSpec({ model: 'gradient_boosting', validationSplit: 0.2, earlyStopping: { monitor: 'val_accuracy' } }))).toMatch(
    /^BAD_USER_INPUT: spec.earlyStopping.monitor/,
  );
  expect(message(() => normalizeSpec({ model: 'gradient_boosting', tree: { maxBins: 256 } }))).toBe('BAD_USER_INPUT: spec.tree.maxBins must be an integer in [2, 255], got 256');
  expect(message(() => normalizeSpec({ model: 'gradient_boosting', tree: { subsample: 0 } }))).toBe('BAD_USER_INPUT: spec.tree.subsample must be a number in [0.01, 1], got 0');
});

it('refuses a validation split on a tree or forest (nothing watches it)', () => {
  expect(message(() => normalizeSpec({ model: 'random_forest', validationSplit: 0.2 }))).toBe(
    'BAD_USER_INPUT: spec.validationSplit is for neural networks and GRADIENT_BOOSTING (early stopping); RANDOM_FOREST would only lose those training rows, got 0.2',
  );
  expect(() => normalizeSpec({ model: 'gradient_boosting', validationSplit: 0.2 })).not.toThrow();
});

it.each([
  [{ epochs: 200 }, 'spec.epochs is for NEURAL_NETWORK; GRADIENT_BOOSTING does not take it (GRADIENT_BOOSTING rounds are spec.tree.nEstimators)'],
  [{ batchSize: 64 }, 'spec.batchSize is for NEURAL_NETWORK; GRADIENT_BOOSTING does not take it (trees see every training row at once)'],
  [
    { optimizer: { name: 'sgd' as const } },
    'spec.optimizer is for NEURAL_NETWORK; GRADIENT_BOOSTING does not take it (trees are not fit by an optimiser; GRADIENT_BOOSTING takes spec.tree.learningRate)',
  ],
  [{ loss: 'mean_squared_error' as const }, 'spec.loss is for NEURAL_NETWORK; GRADIENT_BOOSTING does not take it (the loss follows the task)'],
])('refuses the network fit option %j on a tree model rather than ignoring it', (extra, expected) => {
  expect(message(() => normalizeSpec({ model: 'gradient_boosting', ...extra }))).toBe(`BAD_USER_INPUT: ${expected}`);
  expect(message(() => normalizeSpec({ model: 'random_forest', ...extra }))).toMatch(/^BAD_USER_INPUT: spec\.\w+ is for NEURAL_NETWORK; RANDOM_FOREST does not take it/);
});

it('bounds a run by rows · inputs · trees, naming the sizes', () => {
  const spec = normalizeSpec({ model: 'random_forest', tree: { nEstimators: 500 } });
  const family = familyOf('random_forest');
  expect(() => family.checkData(spec, { inputs: 100, outputs: 1, featureColumns: 10, rows: 1000 })).not.toThrow();
  expect(message(() => family.checkData(spec, { inputs: 1000, outputs: 1, featureColumns: 10, rows: 1_000_000 }))).toBe(
    `BAD_USER_INPUT: RANDOM_FOREST on 1000000 rows × 1000 inputs × 500 tree(s) is too large: rows · inputs · trees must stay under ${MAX_TREE_WORK.toExponential(0)}, got 5.0e+11; use fewer trees (spec.tree.nEstimators), fewer feature columns or fewer rows`,
  );
  // Multiclass boosting grows one tree per class and round.
  const gbt = normalizeSpec({ model: 'gradient_boosting', tree: { nEstimators: 1000 } });
  expect(message(() => familyOf('gradient_boosting').checkData(gbt, { inputs: 100, outputs: 10, featureColumns: 10, rows: 50_000 }))).toMatch(/× 10000 tree\(s\) is too large/);
});

it('bounds the memory of fully grown trees (QUOTA_EXCEEDED stating the limit), not only their work', () => {
  const shape = { inputs: 5, outputs: 1, featureColumns: 5, rows: 1_000_000 };
  // 500 trees, 30 levels, 1 row a leaf: each tree can reach 1,000,000 leaves; 2e9 rows · inputs · trees is within the work bound.
  const deep = normalizeSpec({ model: 'random_forest', tree: { nEstimators: 400, maxDepth: 30, minSamplesLeaf: 1 } });
  const memory = 400 * (2 * 1_000_000 - 1) * (33 + 16) + 1_000_000 * (5 + 32);
  expect(message(() => familyOf('random_forest').checkData(deep, shape))).toBe(
    `QUOTA_EXCEEDED: RANDOM_FOREST with 400 tree(s) on 1000000 rows needs up to an estimated ${Math.ceil(memory / 1024 ** 2)} MiB (${memory} bytes: the trees at their largest and the binned rows); the limit is 512 MiB (536870912 bytes): set spec.tree.maxDepth or spec.tree.maxLeafNodes, raise spec.tree.minSamplesLeaf, or use fewer trees`,
  );
  // The same forest with its leaves bounded fits; a tenant with a lower limit is refused it.
  const bounded = normalizeSpec({ model: 'random_forest', tree: { nEstimators: 400, maxDepth: 30, maxLeafNodes: 1024 } });
  expect(message(() => familyOf('random_forest').checkData(bounded, shape))).toBe('no error');
  expect(message(() => familyOf('random_forest').checkData(bounded, shape, { ...DEFAULT_COST_LIMITS, maxMemoryBytes: 1e6 }))).toMatch(
    /^QUOTA_EXCEEDED: RANDOM_FOREST with 400 tree\(s\) .* the limit is 0 MiB \(1000000 bytes\)/,
  );
});

it('refuses to store a model that found no split (every tree one leaf), naming the options', async () => {
  const spec = normalizeSpec({ model: 'gradient_boosting', tree: { minSamplesLeaf: 100_000 } });
  await expect(trainFromTable(data(), { target: 'cls', features: ['a', 'b', 'noise'] }, spec, async () => undefined)).rejects.toMatchObject({
    code: 'BAD_USER_INPUT',
    message: expect.stringMatching(/^GRADIENT_BOOSTING found no split: 240 training rows with spec.tree.minSamplesLeaf 100000/),
  });
});
