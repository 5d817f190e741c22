/**
 * Starting a sweep: the budget and search space are checked, every trial's spec is built from the
 * base spec and its configuration and goes through the checks startTrainingRun makes (GraphQL
 * input coercion, spec normalisation, the dataset's columns and the tenant's cost limits) before
 * anything is stored; then the sweep and its trials are stored (audited) and its driver's poll
 * chain is queued (a sweep that cannot be queued is marked FAILED and the error rethrown). Trials become training runs in src/modules/sweeps/sweep-driver.ts.
 */
import { AppError, badInput, notFound, quote } from '../../lib/errors';
import { withTenant, type Tx } from '../../lib/tenant-tx';
import type { ColumnProfile } from '../../ml/data/profile';
import { familyOf } from '../../ml/families/registry';
import type { ImageProfile } from '../../ml/images/profile';
import { normalizeSpec, type LayerSpec, type TrainingSpec } from '../../ml/spec';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import { checkColumns } from '../training/check-columns';
import { checkImageRun } from '../training/check-images';
import { checkMetadataDatasets } from '../training/check-metadata';
import type { ModelSpecInput, StartTrainingRunInput } from '../training/spec.input';
import type { StartDeps } from '../training/start-training-run';
import type { Direction, ObjectiveMetric } from './objective';
import { checkSpace, configurations, withValue, type Dimension, type Params, type Strategy } from './search-space';
import type { NewTrial, SweepRepo } from './sweep.repo';

/** Most trials (configurations) one sweep may have. */
export const SWEEP_MAX_TRIALS = 100;
/** Most trials of one sweep training at once (each also counts against the tenant's run quotas). */
export const SWEEP_MAX_CONCURRENT = 10;
/** Successive halving's reduction factor bounds (Default: 3, as Hyperband). */
const ETA = { min: 2, max: 10, default: 3 };

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Reads specs in the form startTrainingRun takes them (implemented by the GraphQL layer: sweep.input.ts). */
export interface SpecParser {
  /** @throws AppError BAD_USER_INPUT (field `field`) when `path` names no spec field. */
  checkPath(path: string, field: string): void;
  /**
   * Coerces a JSON spec as GraphQL coerces `ModelSpecInput` (enum names, defaults, types).
   * @throws AppError BAD_USER_INPUT prefixed with `label`, naming the spec field and value.
   */
  parse(json: Record<string, unknown>, label: string): ModelSpecInput;
}

/** What startSweep takes (StartSweepInput, sweep.input.ts). */
export interface StartSweepRequest {
  datasetId: string;
  targetColumn: string;
  featureColumns?: string[] | null;
  modelName: string;
  baseSpec: Record<string, unknown>;
  space: Dimension[];
  strategy: Strategy;
  objective: { metric: ObjectiveMetric; direction: Direction };
  budget: { maxTrials: number; maxConcurrent: number };
  seed?: number | null;
  halving?: { eta?: number | null; minEpochs?: number | null } | null;
  earlyStop?: boolean | null;
}

/** What starting a sweep needs. */
export interface StartSweepDeps extends StartDeps {
  sweeps: SweepRepo;
}

/** The budget's bounds. @throws AppError BAD_USER_INPUT below 1, QUOTA_EXCEEDED above the caps. */
function checkBudget({ maxTrials, maxConcurrent }: StartSweepRequest['budget']): void {
  for (const [field, value, cap] of [
    ['budget.maxTrials', maxTrials, SWEEP_MAX_TRIALS],
    ['budget.maxConcurrent', maxConcurrent, SWEEP_MAX_CONCURRENT],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw badInput(`${field} must be a whole number of at least 1, not ${value}`, { field });
    if (value > cap) throw new AppError('QUOTA_EXCEEDED', `${field} ${value} is over the limit of ${cap}`, { field, limit: cap });
  }
}

/** A configuration in words, for messages: `optimizer.learningRate = 0.1, epochs = 2`. */
const describe = (params: Params) =>
  Object.entries(params)
    .map(([k, v]) => `${k} = ${quote(v)}`)
    .join(', ');

/** normalizeSpec as startTrainingRun calls it. */
function normalize(spec: ModelSpecInput): TrainingSpec {
  return normalizeSpec({
    ...spec,
    layers: (spec.layers ?? []).map((l) => ({ ...l }) as LayerSpec),
    optimizer: spec.optimizer ? { ...spec.optimizer } : undefined,
  } as Partial<TrainingSpec> & { layers: LayerSpec[] });
}

/** Prefixes a BAD_USER_INPUT (or QUOTA_EXCEEDED) with the trial's configuration. */
function inTrial<T>(params: Params, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.code, `Trial ${describe(params)}: ${err.message}`, { ...err.details, params });
    throw err;
  }
}

/** Builds and normalises every trial's spec (no dataset yet). */
function trialSpecs(req: StartSweepRequest, parser: SpecParser): { params: Params; spec: TrainingSpec }[] {
  req.space.forEach((d, i) => parser.checkPath(d.path, `space[${i}].path`));
  const base = normalize(parser.parse(req.baseSpec, 'baseSpec'));
  const configs = configurations(req.space, req.strategy, req.budget.maxTrials, req.seed ?? 0);
  return configs.map((params) => {
    let json = req.baseSpec;
    for (const [path, value] of Object.entries(params)) json = withValue(json, path, value);
    const parsed = parser.parse(json, `Trial ${describe(params)}`);
    const spec = inTrial(params, () => normalize(parsed));
    if (req.strategy === 'SUCCESSIVE_HALVING' && spec.epochs !== base.epochs)
      throw badInput(`A SUCCESSIVE_HALVING sweep sets the epochs itself; space path 'epochs' is not allowed`, { field: 'space' });
    return { params, spec };
  });
}

/** Checks one trial against the dataset as startTrainingRun does. @returns the resolved columns. */
async function checkOnDataset(tx: Tx, deps: StartSweepDeps, tenantId: string, dataset: DatasetRow, input: StartTrainingRunInput, spec: TrainingSpec) {
  const family = familyOf(spec.model);
  if (dataset.format !== 'image' && family.inputFormats.every((f) => f === 'image'))
    throw badInput(`spec.model ${family.kind.toUpperCase()} takes ${family.inputFormats.join(' or ')} datasets; dataset '${dataset.name}' is a CSV`);
  const limits = await deps.quotas.trainingLimits(tx, tenantId);
  const resolved =
    dataset.format === 'image'
      ? checkImageRun(dataset.imageProfile as unknown as ImageProfile, input, spec, limits)
      : checkColumns(dataset.columns as unknown as ColumnProfile[], dataset.rowCount, input, spec, limits);
  await checkMetadataDatasets(tx, deps.datasets, tenantId, spec);
  return resolved;
}

type DatasetRow = NonNullable<Awaited<ReturnType<StartDeps['datasets']['find']>>>;

/**
 * Validates and stores a sweep (RUNNING) with its first trials (PENDING); queues its driver.
 * Scope: `training:run`.
 * @throws AppError FORBIDDEN; NOT_FOUND (dataset, also another tenant's); BAD_USER_INPUT (model
 *   name, space shape, an unknown space path, a value the spec refuses — naming the path and
 *   value —, a grid larger than budget.maxTrials, halving options); QUOTA_EXCEEDED (budget over
 *   its caps, a trial over the tenant's training cost limits).
 */
export async function startSweep(deps: StartSweepDeps, actor: Actor, req: StartSweepRequest, parser: SpecParser) {
  requireScope(actor, 'training:run');
  // Another tenant's dataset is NOT_FOUND whatever else is wrong with the request.
  if (!(await withTenant(deps.prisma, actor.tenantId, (tx) => deps.datasets.find(tx, actor.tenantId, req.datasetId)))) throw notFound('Dataset', req.datasetId);
  if (!MODEL_NAME.test(req.modelName)) throw badInput(`modelName ${quote(req.modelName)} must be 1-100 letters, digits, '_', '.' or '-', starting with a letter or digit`);
  checkBudget(req.budget);
  checkSpace(req.space, req.strategy);
  const halving = req.strategy === 'SUCCESSIVE_HALVING';
  const eta = req.halving?.eta ?? ETA.default;
  const minEpochs = req.halving?.minEpochs ?? 1;
  if (halving && (!Number.isInteger(eta) || eta < ETA.min || eta > ETA.max)) throw badInput(`halving.eta must be ${ETA.min} to ${ETA.max}, not ${eta}`, { field: 'halving.eta' });
  if (halving && (!Number.isInteger(minEpochs) || minEpochs < 1)) throw badInput(`halving.minEpochs must be at least 1, not ${minEpochs}`, { field: 'halving.minEpochs' });
  const trials = trialSpecs(req, parser);
  const maxEpochs = trials[0].spec.epochs;
  if (halving && !(maxEpochs > minEpochs))
    throw badInput(`A SUCCESSIVE_HALVING sweep needs baseSpec.epochs (${maxEpochs}) greater than halving.minEpochs (${minEpochs})`, { field: 'halving.minEpochs' });
  const { sweep } = await withTenant(deps.prisma, actor.tenantId, async (tx) => {
    const dataset = await deps.datasets.find(tx, actor.tenantId, req.datasetId);
    if (!dataset) throw notFound('Dataset', req.datasetId);
    let columns: { target: string; features: string[] } | undefined;
    const rows: NewTrial[] = [];
    for (const [i, t] of trials.entries()) {
      const input = { ...req, spec: {} } as unknown as StartTrainingRunInput;
      columns = await inTrial(t.params, () => checkOnDataset(tx, deps, actor.tenantId, dataset, input, t.spec));
      const spec = halving ? { ...t.spec, epochs: minEpochs } : t.spec;
      rows.push({ index: i, config: i, rung: 0, params: t.params, spec, epochs: spec.epochs ?? null });
    }
    const created = await deps.sweeps.create(
      tx,
      actor.tenantId,
      {
        datasetId: dataset.id,
        modelName: req.modelName,
        targetColumn: columns!.target,
        featureColumns: columns!.features,
        strategy: req.strategy,
        baseSpec: req.baseSpec,
        space: req.space as unknown as object,
        objectiveMetric: req.objective.metric,
        objectiveDirection: req.objective.direction,
        maxTrials: req.budget.maxTrials,
        maxConcurrent: req.budget.maxConcurrent,
        seed: req.seed ?? null,
        eta: halving ? eta : null,
        minEpochs: halving ? minEpochs : null,
        maxEpochs: halving ? maxEpochs : null,
        earlyStop: req.earlyStop ?? true,
        startedByKind: actor.kind,
        startedById: actor.id,
      },
      rows,
    );
    await deps.audit.record(tx, actor, {
      action: 'sweep.started',
      targetType: 'Sweep',
      targetId: created.id,
      details: { datasetId: dataset.id, modelName: req.modelName, strategy: req.strategy, trials: rows.length },
    });
    return { sweep: created };
  });
  try {
    await deps.queue.enqueue('sweep-advance', { tenantId: actor.tenantId, sweepId: sweep.id, poll: true });
  } catch (err) {
    await withTenant(deps.prisma, actor.tenantId, (tx) =>
      deps.sweeps.updateSweep(tx, actor.tenantId, sweep.id, ['RUNNING'], { status: 'FAILED', failureMessage: 'The sweep could not be queued', finishedAt: new Date() }),
    );
    throw err;
  }
  return sweep;
}
