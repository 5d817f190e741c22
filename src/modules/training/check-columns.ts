/**
 * Request-time checks of a training run against the dataset's stored profile, so mistakes are
 * reported before anything is queued.
 */
import { badInput } from '../../lib/errors';
import type { ColumnProfile } from '../../ml/data/profile';
import { checkNetworkShape } from '../../ml/network';
import { resolveColumns } from '../../ml/prepare';
import { LOSS_TASK, type TrainingSpec } from '../../ml/spec';
import type { StartTrainingRunInput } from './spec.input';

/** Request-time checks of columns and network shape against the dataset's profile. */
export function checkColumns(columns: ColumnProfile[], input: StartTrainingRunInput, spec: TrainingSpec) {
  const names = columns.map((c) => c.name);
  const { target, features } = resolveColumns(names, { target: input.targetColumn, features: input.featureColumns ?? undefined });
  const byName = new Map(columns.map((c) => [c.name, c]));
  for (const f of features) {
    const col = byName.get(f)!;
    if (col.type !== 'numeric') {
      throw badInput(`Feature column '${f}' is ${col.type}, not numeric (e.g. '${col.topValues?.[0]?.value}'); leave it out of featureColumns`);
    }
  }
  const targetCol = byName.get(target)!;
  const task = LOSS_TASK[spec.loss];
  if (task === 'regression' && targetCol.type !== 'numeric') {
    throw badInput(`Target column '${target}' is ${targetCol.type}; loss ${spec.loss} needs a numeric target`);
  }
  if (task === 'binary' && targetCol.distinct !== 2) {
    throw badInput(`Loss ${spec.loss} needs a target with 2 classes; column '${target}' has ${targetCol.distinct}`);
  }
  checkNetworkShape(spec, features.length, task === 'multiclass' ? targetCol.distinct : 1);
  return { target, features };
}
