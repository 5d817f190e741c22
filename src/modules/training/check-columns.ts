/**
 * Request-time checks of a training run against the dataset's stored profile, so mistakes are
 * reported before anything is queued: columns, missing-value declarations, preprocessing steps,
 * the target against the task, and the model family's shape and cost checks where the data fixes them. The same checks
 * run again at training time against the data itself.
 */
import { badInput } from '../../lib/errors';
import { DEFAULT_COST_LIMITS, type CostLimits } from '../../ml/cost-limits';
import type { ColumnProfile } from '../../ml/data/profile';
import { resolveMissing } from '../../ml/data/missing';
import { familyOf } from '../../ml/families/registry';
import { resolveColumns } from '../../ml/prepare';
import { interactionFeatures } from '../../ml/prepare-interactions';
import { checkRunTime, estimateRunTime } from '../../ml/run-time';
import { defaultSteps, planPipeline, plannedWidth } from '../../ml/preprocess/plan';
import type { TrainingSpec } from '../../ml/spec';
import { decideTask, normalizeLabel, type TargetFacts } from '../../ml/target';
import type { StartTrainingRunInput } from './spec.input';

/** Training rows a dataset of `rows` rows leaves after the test and validation splits (at most). */
const trainingRows = (rows: number, spec: TrainingSpec) => Math.ceil(rows * (1 - spec.testFraction) * (1 - spec.validationSplit));

/** What the profile tells of the target; class counts after label normalisation when they can be known. */
export function targetFacts(col: ColumnProfile, labelSuffix: string | null | undefined): TargetFacts {
  const top = col.topValues?.map((v) => v.value);
  const complete = top !== undefined && top.length === col.distinct;
  const labels = labelSuffix && complete ? [...new Set(top!.map((v) => normalizeLabel(v, labelSuffix)))] : top;
  const classes = labelSuffix && col.type !== 'numeric' ? (complete ? labels!.length : undefined) : col.distinct;
  return { type: col.type === 'numeric' ? 'numeric' : col.type, classes, integer: col.integer, examples: labels };
}

/**
 * @param rows the dataset's row count (a bound on the training rows, for the family's cost check).
 * @param limits the tenant's cost limits (quotas). (Default: DEFAULT_COST_LIMITS)
 * @returns the resolved target and feature columns.
 * @throws AppError BAD_USER_INPUT naming the field, for any check that fails; QUOTA_EXCEEDED stating
 *   the limit when the run passes a cost limit, or its estimated time passes twice its time limit
 *   (src/ml/run-time.ts, details.reason 'RUN_TIME_LIMIT').
 */
export function checkColumns(columns: ColumnProfile[], rows: number, input: StartTrainingRunInput, spec: TrainingSpec, limits?: CostLimits) {
  const names = columns.map((c) => c.name);
  const family = familyOf(spec.model);
  // Recommenders name their user and item columns in the spec (src/ml/prepare-interactions.ts).
  const interactions = family.inputFormats.includes('interactions');
  const chosen = interactions ? interactionFeatures(spec, input.featureColumns) : (input.featureColumns ?? undefined);
  const { target, features } = resolveColumns(names, { target: input.targetColumn, features: chosen });
  resolveMissing(spec.preprocessing.missingValues, names, 'spec.preprocessing.missingValues');
  const byName = new Map(columns.map((c) => [c.name, c]));
  const facts = targetFacts(byName.get(target)!, spec.preprocessing.labelSuffix);
  const task = decideTask(spec, target, facts);
  if (spec.classWeights && facts.examples && facts.examples.length === facts.classes) {
    spec.classWeights.forEach((w, i) => {
      if (!facts.examples!.includes(w.label)) throw badInput(`spec.classWeights[${i}].label '${w.label}' is not a class of '${target}'; classes are ${facts.examples!.join(', ')}`);
    });
  }
  const planned = planPipeline(
    features.map((f) => ({ name: f, type: byName.get(f)!.type })),
    spec.preprocessing.steps ?? defaultSteps(spec.standardize),
  );
  const widths = planned.map(plannedWidth);
  const inputs = interactions ? 2 : widths.every((w) => w !== undefined) ? widths.reduce((s, w) => s! + w!, 0) : undefined;
  const shape = { inputs, outputs: task === 'multiclass' ? facts.classes : 1, featureColumns: features.length, rows: trainingRows(rows, spec) };
  family.checkData(spec, shape, limits);
  checkRunTime(family.kind, estimateRunTime(family, spec, shape), (limits ?? DEFAULT_COST_LIMITS).maxRunSeconds);
  return { target, features };
}
