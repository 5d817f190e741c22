/**
 * The model families built on the histogram tree learner (./hist): decision tree, random forest
 * and gradient-boosted trees differ only in their spec defaults and learner settings, so each
 * family folder (src/ml/families/decision-tree, …) is one call of {@link treeFamily}.
 *
 * Stored artifact: `topology` = the learner's metadata (`format: 'maas-hist-trees/1'`), `weights` =
 * its node arrays (see ./hist/codec.ts). Versions stored by the earlier ml-cart learner
 * (./legacy.ts, no `format`) still load.
 */
import { AppError, badInput } from '../../lib/errors';
import { DEFAULT_COST_LIMITS, type CostLimits } from '../cost-limits';
import { evaluate } from '../evaluate';
import { treeRunTime } from '../run-time';
import type { DataShape, EpochResult, FitContext, FitResult, ModelFamily, Scorer } from '../families/model-family';
import { outputUnits, shapedScorer } from '../families/scorer';
import type { PreparedData } from '../prepare';
import type { FittedPipeline } from '../preprocess/types';
import type { TrainingSpec, TreeSpec } from '../spec-types';
import { decodeHistModel, encodeHistModel, fitHist, scoreHist, type HistModel, type HistParams } from './hist';
import { isLegacyTrees, scoreLegacyTrees } from './legacy';
import { normalizeTreeSpec, type TreeKind } from './tree-spec';

/**
 * Bound on rows · inputs · trees (· classes, for multiclass boosting) per run, refused by
 * `startTrainingRun` before anything is queued. The learner's cost is about linear in it: full
 * Adult (32,561 rows × 105 inputs × 100 rounds = 3.4e8) fits in a few seconds here, so 1e10 is
 * a couple of minutes of one core.
 */
export const MAX_TREE_WORK = 1e10;

/** Small, fast settings for {@link ModelFamily.exampleSpec}. */
const EXAMPLE_TREES: Record<TreeKind, Partial<TreeSpec>> = {
  decision_tree: { maxDepth: 4 },
  random_forest: { nEstimators: 8, maxDepth: 5 },
  gradient_boosting: { nEstimators: 10, maxLeafNodes: 8, minSamplesLeaf: 5 },
};

/** The learner's task and class count for a target. */
const taskOf = (pipeline: FittedPipeline) => {
  const { task, classes } = pipeline.target;
  return { task, ...(task === 'regression' ? {} : { classCount: classes!.length }) };
};

/**
 * Upper bound on the memory of a tree run, bytes: every tree at its largest (leaves ≤ training rows /
 * minSamplesLeaf, maxLeafNodes and 2^maxDepth; nodes = 2 · leaves − 1) at about 33 bytes of node
 * arrays plus 8 per output value (./hist/tree.ts: feature, threshold, missingLeft, left, right,
 * nodeBin; values are float64, one per output and one spare), plus the binned rows (one byte per
 * row and input) and 32 bytes of per-row state (gradients, hessians, partition, scores).
 */
export function estimateTreeMemory(spec: TrainingSpec, shape: DataShape, trees: number): number {
  const t = spec.tree!;
  const inputs = shape.inputs ?? shape.featureColumns;
  const leaves = Math.min(Math.ceil(shape.rows / t.minSamplesLeaf), t.maxLeafNodes ?? Infinity, t.maxDepth != null ? 2 ** t.maxDepth : Infinity);
  const nodeBytes = 33 + 8 * ((shape.outputs ?? 1) + 1);
  return trees * Math.max(1, 2 * leaves - 1) * nodeBytes + shape.rows * (inputs + 32);
}

/**
 * @throws AppError BAD_USER_INPUT when the run's size passes {@link MAX_TREE_WORK}; QUOTA_EXCEEDED
 *   stating the limit and the value when {@link estimateTreeMemory} passes `limits.maxMemoryBytes`.
 */
/** Trees a fit grows: boosting grows one per class and round for multiclass targets. */
const treeCount = (kind: TreeKind, spec: TrainingSpec, shape: DataShape) =>
  spec.tree!.nEstimators * (kind === 'gradient_boosting' && (shape.outputs ?? 1) > 2 ? shape.outputs! : 1);

function checkTreeCost(kind: TreeKind, spec: TrainingSpec, shape: DataShape, limits: CostLimits = DEFAULT_COST_LIMITS): void {
  const inputs = shape.inputs ?? shape.featureColumns;
  const trees = treeCount(kind, spec, shape);
  const work = shape.rows * inputs * trees;
  if (work > MAX_TREE_WORK) {
    throw badInput(
      `${kind.toUpperCase()} on ${shape.rows} rows × ${inputs} inputs × ${trees} tree(s) is too large: rows · inputs · trees must stay under ${MAX_TREE_WORK.toExponential(0)}, got ${work.toExponential(1)}; use fewer trees (spec.tree.nEstimators), fewer feature columns or fewer rows`,
      { limit: MAX_TREE_WORK, work },
    );
  }
  const memory = estimateTreeMemory(spec, shape, trees);
  if (memory > limits.maxMemoryBytes) {
    throw new AppError(
      'QUOTA_EXCEEDED',
      `${kind.toUpperCase()} with ${trees} tree(s) on ${shape.rows} rows needs up to an estimated ${Math.ceil(memory / 1024 ** 2)} MiB (${memory} bytes: the trees at their largest and the binned rows); the limit is ${Math.floor(limits.maxMemoryBytes / 1024 ** 2)} MiB (${limits.maxMemoryBytes} bytes): set spec.tree.maxDepth or spec.tree.maxLeafNodes, raise spec.tree.minSamplesLeaf, or use fewer trees`,
      { quota: 'maxMemoryBytes', limit: limits.maxMemoryBytes, value: memory },
    );
  }
}

function histScorer(model: HistModel, pipeline: FittedPipeline): Scorer {
  return shapedScorer([model.inputs], [outputUnits(pipeline.target)], (x, rows) => scoreHist(model, x, rows));
}

function params(kind: TreeKind, data: PreparedData, spec: TrainingSpec): HistParams {
  const t = spec.tree!;
  const es = kind === 'gradient_boosting' && spec.earlyStopping && data.validation.rows > 0 ? spec.earlyStopping : undefined;
  return {
    kind,
    ...taskOf(data.pipeline),
    maxDepth: t.maxDepth,
    maxLeafNodes: t.maxLeafNodes,
    minSamplesLeaf: t.minSamplesLeaf,
    minSamplesSplit: t.minSamplesSplit,
    nEstimators: t.nEstimators,
    learningRate: t.learningRate ?? 0.1,
    l2Regularization: t.l2Regularization ?? 0,
    subsample: t.subsample ?? 1,
    maxFeatures: t.maxFeatures,
    maxBins: t.maxBins,
    seed: spec.seed,
    ...(es ? { earlyStopping: { validation: data.validation, nIterNoChange: Math.max(1, es.patience), tol: es.minDelta } } : {}),
  };
}

async function fitTrees(kind: TreeKind, data: PreparedData, spec: TrainingSpec, { onEpoch, onStep, signal }: FitContext): Promise<FitResult> {
  const started = performance.now();
  const epochs: EpochResult[] = [];
  const boosting = kind === 'gradient_boosting';
  const model = fitHist(data.train.x, data.train.y, data.train.rows, data.inputNames.length, params(kind, data, spec), {
    onRound: (p) => {
      if (boosting) {
        const e: EpochResult = {
          epoch: p.round,
          loss: p.loss,
          elapsedMs: p.elapsedMs,
          ...(p.accuracy !== undefined ? { accuracy: p.accuracy } : {}),
          ...(p.valLoss !== undefined ? { valLoss: p.valLoss } : {}),
          ...(p.valAccuracy !== undefined ? { valAccuracy: p.valAccuracy } : {}),
        };
        epochs.push(e);
        void onEpoch(e).catch(() => undefined); // the learner never yields: stopping goes through `signal`
      } else onStep?.({ step: p.round, steps: p.rounds, unit: 'tree' });
      return signal?.aborted ? 'stop' : undefined;
    },
  });
  if (!model.trees.some((tree) => tree.feature.length > 1 && tree.feature[0] >= 0)) {
    // Every tree is one leaf: the model would answer the prior for every row. Say why instead of storing it.
    throw badInput(
      `${kind.toUpperCase()} found no split: ${data.train.rows} training rows with spec.tree.minSamplesLeaf ${spec.tree!.minSamplesLeaf} and spec.tree.minSamplesSplit ${spec.tree!.minSamplesSplit}` +
        `${model.bestRound === 0 ? ' (early stopping kept no round)' : ''}; lower them, or keep more rows for training (spec.testFraction, spec.validationSplit)`,
    );
  }
  const scorer = histScorer(model, data.pipeline);
  if (!boosting) {
    // Trees and forests train in one pass, reported as one epoch with the training-split loss and accuracy.
    const { task, classes } = data.pipeline.target;
    const fit = evaluate(task, scorer.score(data.train.x, data.train.rows), data.train.y, data.train.rows, classes);
    const e: EpochResult = { epoch: 1, loss: fit.logLoss ?? fit.mse ?? 0, accuracy: fit.accuracy, elapsedMs: performance.now() - started };
    epochs.push(e);
    await onEpoch(e);
  }
  const stoppedEarly = boosting && model.bestRound !== undefined && model.rounds < spec.tree!.nEstimators;
  return {
    artifact: encodeHistModel(model),
    scorer,
    epochs,
    importances: model.gainImportances,
    ...(boosting && spec.earlyStopping && model.bestRound !== undefined ? { bestEpoch: model.bestRound, stoppedEarly } : {}),
  };
}

async function loadTrees(family: ModelFamily, stored: { framework: string; topology: unknown; weights: Uint8Array }, pipeline: FittedPipeline): Promise<Scorer> {
  if (isLegacyTrees(stored.topology)) {
    const legacy = stored.topology;
    return shapedScorer([legacy.inputs], [outputUnits(pipeline.target)], (x, rows) => scoreLegacyTrees(legacy, x, rows));
  }
  try {
    return histScorer(decodeHistModel(stored.topology, stored.weights), pipeline);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badInput(`The stored ${family.kind.toUpperCase()} artifact cannot be read: ${(err as Error).message}`);
  }
}

/**
 * A family on the histogram learner.
 * @param readsFrameworks earlier frameworks of the same kind whose versions it loads.
 */
export function treeFamily<K extends TreeKind>(kind: K, framework: string, description: string, readsFrameworks: readonly string[] = []): ModelFamily<K> {
  const family: ModelFamily<K> = {
    kind,
    framework,
    readsFrameworks,
    inputFormats: ['tabular'],
    description,
    defaults: { standardize: false },
    scalesTarget: false,
    supports: { explain: true, batchPredict: true, importances: true },
    exampleSpec: (task) => ({ model: kind, task, tree: EXAMPLE_TREES[kind] }),
    normalize: (input, spec) => normalizeTreeSpec(kind, input, spec),
    checkData: (spec, shape, limits) => checkTreeCost(kind, spec, shape, limits),
    estimateRunTime: (spec, shape) => treeRunTime(spec, shape, treeCount(kind, spec, shape)),
    fit: (data, spec, context) => fitTrees(kind, data, spec, context),
    load: (stored, pipeline) => loadTrees(family, stored, pipeline),
    costPerRow: treeCostPerRow,
  };
  return family;
}

/**
 * Nodes one row visits, estimated from the stored node counts (`topology.nodes`, one per tree): a
 * path is taken as twice a balanced tree's depth, ⌈log2(nodes + 1)⌉, at most the tree's nodes (the
 * learner's trees grow unbalanced, so deeper than log2). A visit costs about a multiply-add (the
 * typed-array walk measured ~0.55 ns a visit on a 100-tree forest explained by a review (2026-12-07):
 * 9.8e9 visits in 5.4 s), so serving bounds and slices tree explanations by it as it does dense
 * networks' multiply-adds (issue 10, review 2 N1). undefined for the earlier learner's artifacts.
 */
export function treeCostPerRow(stored: { topology: unknown }): number | undefined {
  const nodes = (stored.topology as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes) || !nodes.every((n) => typeof n === 'number' && n >= 1)) return undefined;
  return (nodes as number[]).reduce((sum, n) => sum + Math.min(n, 2 * Math.ceil(Math.log2(n + 1))), 0);
}
