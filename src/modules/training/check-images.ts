/**
 * Request-time checks of a training run on an image dataset, from its stored profile: the target
 * is the class label, no feature columns, a family that takes images, and the family's shape and
 * cost checks on the image shape. The same checks run again at training time on the data.
 */
import { badInput } from '../../lib/errors';
import { DEFAULT_COST_LIMITS, type CostLimits } from '../../ml/cost-limits';
import { checkRunTime, estimateRunTime } from '../../ml/run-time';
import { familyOf } from '../../ml/families/registry';
import { IMAGE_TARGET } from '../../ml/images/prepare';
import type { ImageProfile } from '../../ml/images/profile';
import type { TrainingSpec } from '../../ml/spec';
import type { StartTrainingRunInput } from './spec.input';

/**
 * @returns the target ('label') and feature columns (none).
 * @throws AppError BAD_USER_INPUT naming the field; QUOTA_EXCEEDED past a cost limit or twice the time limit (src/ml/run-time.ts).
 */
export function checkImageRun(profile: ImageProfile, input: StartTrainingRunInput, spec: TrainingSpec, limits?: CostLimits) {
  if (input.targetColumn !== IMAGE_TARGET) throw badInput(`targetColumn of an image dataset is '${IMAGE_TARGET}' (the image's class), got '${input.targetColumn.slice(0, 100)}'`);
  if (input.featureColumns?.length) throw badInput('featureColumns does not apply to an image dataset: the model reads every pixel');
  const family = familyOf(spec.model);
  if (!family.inputFormats.includes('image'))
    throw badInput(`spec.model ${family.kind.toUpperCase()} takes ${family.inputFormats.join(' or ')} data, not images; use CONVOLUTIONAL_NETWORK`);
  const rows = Math.ceil(profile.count * (1 - spec.testFraction) * (1 - spec.validationSplit));
  const shape = {
    inputs: profile.height * profile.width * profile.channels,
    inputShape: [profile.height, profile.width, profile.channels],
    outputs: profile.classes.length,
    featureColumns: 0,
    rows,
  };
  family.checkData(spec, shape, limits);
  checkRunTime(family.kind, estimateRunTime(family, spec, shape), (limits ?? DEFAULT_COST_LIMITS).maxRunSeconds);
  return { target: IMAGE_TARGET, features: [] as string[] };
}
