/**
 * The network a run gets when its spec leaves the structure to the server: a NEURAL_NETWORK (the
 * default model) with neither `layers` nor `loss` — `maas train` without `--spec`, or
 * `spec: {}` in startTrainingRun. The target column's task (inferred from the dataset's stored
 * profile as for any run, or `spec.task`) picks the layers and loss of the network family's
 * {@link ModelFamily.exampleSpec}: one hidden dense layer of 8 ReLU units and an output layer and
 * loss for the task (sigmoid + binary cross-entropy, softmax + sparse categorical cross-entropy,
 * linear + mean squared error). Every other field keeps what the caller sent or normalizeSpec's
 * default (Adam, 10 epochs, batch size 32, a 20 % test split, seed 42).
 */
import type { ColumnProfile } from '../../ml/data/profile';
import type { ModelFamily } from '../../ml/families/model-family';
import { familyOf } from '../../ml/families/registry';
import { resolveColumns } from '../../ml/prepare';
import type { SpecInput } from '../../ml/spec';
import { decideTask } from '../../ml/target';
import { targetFacts } from './check-columns';
import type { StartTrainingRunInput } from './spec.input';

/** Whether `spec` asks for a network and names neither its layers nor its loss. */
export function leavesNetworkToServer(spec: SpecInput): boolean {
  return (spec.model ?? 'neural_network') === 'neural_network' && !spec.layers?.length && !spec.loss;
}

/**
 * `spec` with the layers and loss of the network family's example for the target's task.
 * @param columns the CSV dataset's stored column profiles.
 * @throws AppError BAD_USER_INPUT: an unknown target or feature column (with did-you-mean), or a
 *   target that fits no task (src/ml/target.ts `decideTask`, `extensions.field` 'targetColumn' or
 *   'spec.task').
 */
export function withDefaultNetwork(spec: SpecInput, columns: ColumnProfile[], input: Pick<StartTrainingRunInput, 'targetColumn' | 'featureColumns'>): SpecInput {
  const { target } = resolveColumns(
    columns.map((c) => c.name),
    { target: input.targetColumn, features: input.featureColumns ?? undefined },
  );
  const facts = targetFacts(
    columns.find((c) => c.name === target)!,
    spec.preprocessing?.labelSuffix,
  );
  const task = decideTask({ task: spec.task ?? undefined }, target, facts);
  const family: ModelFamily = familyOf('neural_network');
  const example = family.exampleSpec(task, task === 'multiclass' ? (facts.classes ?? 2) : 1);
  return { ...spec, model: 'neural_network', layers: example.layers, loss: example.loss };
}
