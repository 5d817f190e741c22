/**
 * One training job on an image dataset, from the stored container to everything a model version
 * stores (the image counterpart of trainFromTable in ../pipeline.ts).
 */
import { AppError } from '../../lib/errors';
import type { CostLimits } from '../cost-limits';
import { evaluate } from '../evaluate';
import { testCurves } from '../test-curves';
import { summarizeOutputs } from '../version-warnings';
import type { EpochCallback, StopSignal } from '../families/model-family';
import { familyOf } from '../families/registry';
import type { TrainedModel } from '../pipeline';
import type { TrainingSpec } from '../spec-types';
import { decodeImageSet } from './image-set';
import { prepareImages } from './prepare';

/**
 * Prepares the images, fits the family the spec names (it must take 'image' data), evaluates it on
 * the test split and serialises it. Every tensor the fit creates is disposed before it returns.
 * @param bytes the dataset's stored container (./image-set.ts).
 * @throws AppError NOT_SUPPORTED for a family that does not take images; BAD_USER_INPUT and
 *   QUOTA_EXCEEDED as the family's checkData and fit.
 */
export async function trainFromImages(bytes: Uint8Array, spec: TrainingSpec, onEpoch: EpochCallback, signal?: StopSignal, limits?: CostLimits): Promise<TrainedModel> {
  const family = familyOf(spec.model);
  if (!family.inputFormats.includes('image'))
    throw new AppError('NOT_SUPPORTED', `${family.kind.toUpperCase()} models take ${family.inputFormats.join(' or ')} data, not images; use CONVOLUTIONAL_NETWORK`, {
      family: family.kind,
      format: 'image',
    });
  const data = prepareImages(decodeImageSet(bytes), spec);
  family.checkData(
    spec,
    { inputs: data.train.x.length / Math.max(1, data.train.rows), inputShape: data.inputShape, outputs: data.outputUnits, featureColumns: 0, rows: data.train.rows },
    limits,
  );
  const fitted = await family.fit(data, spec, { onEpoch, signal });
  try {
    const { task, classes } = data.pipeline.target;
    const scores = fitted.scorer.score(data.test.x, data.test.rows);
    return {
      framework: family.framework,
      artifact: fitted.artifact,
      pipeline: data.pipeline,
      metrics: { ...evaluate(task, scores, data.test.y, data.test.rows, classes), ...testCurves(task, scores, data.test.y, data.test.rows, classes) },
      testOutputs: summarizeOutputs(scores, data.outputUnits, data.train.y),
      epochs: fitted.epochs,
      featureNames: [],
      inputNames: [],
      ...(fitted.bestEpoch !== undefined ? { bestEpoch: fitted.bestEpoch, stoppedEarly: fitted.stoppedEarly } : {}),
      rows: { train: data.train.rows, validation: data.validation.rows, test: data.test.rows },
      testRowIndexes: Array.from(data.testRowIndexes!).sort((a, b) => a - b),
    };
  } finally {
    fitted.scorer.dispose();
  }
}
