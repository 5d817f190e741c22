/**
 * From a stored image set and a spec to model matrices: the split (seeded, stratified or in
 * stored order), the normalisation fitted on the training split and applied to all three, and the
 * pipeline the version stores (no feature columns; the target is the class; `image` holds the
 * input shape and normalisation).
 */
import { badInput } from '../../lib/errors';
import type { PreparedData, SplitData } from '../prepare';
import type { FittedPipeline } from '../preprocess/types';
import { orderedSplit, splitRows, stratifiedSplit } from '../random';
import type { TrainingSpec } from '../spec-types';
import type { ImageSet } from './image-set';
import { channelMoments, toModelInputs, type ImageInput } from './normalize';

/** The target name of image datasets (startTrainingRun's targetColumn). */
export const IMAGE_TARGET = 'label';

/**
 * @returns data in the 'image' format: each split's `x` is `[rows, h, w, c]` float32.
 * @throws AppError BAD_USER_INPUT when fewer than two classes or no training images remain.
 */
export function prepareImages(set: ImageSet, spec: TrainingSpec): PreparedData {
  if (set.classes.length < 2) throw badInput(`The image dataset has ${set.classes.length} class; a classifier needs at least two`);
  const split = spec.orderedSplit
    ? orderedSplit(set.count, spec.testFraction, spec.validationSplit)
    : spec.stratify
      ? stratifiedSplit(set.labels, spec.testFraction, spec.validationSplit, spec.seed)
      : splitRows(set.count, spec.testFraction, spec.validationSplit, spec.seed);
  if (split.train.length === 0) throw badInput('No images are left for training after the test and validation splits');
  const size = set.height * set.width * set.channels;
  const normalization = spec.imageNormalization ?? 'scale';
  const image: ImageInput = {
    height: set.height,
    width: set.width,
    channels: set.channels,
    normalization,
    ...(normalization === 'standardize' ? channelMoments(set.pixels, size, set.channels, split.train) : {}),
  };
  const take = (rows: number[]): SplitData => {
    const pixels = new Uint8Array(rows.length * size);
    rows.forEach((r, i) => pixels.set(set.pixels.subarray(r * size, (r + 1) * size), i * size));
    return { x: toModelInputs(pixels, image), y: Float32Array.from(rows, (r) => set.labels[r]!), rows: rows.length };
  };
  const pipeline: FittedPipeline = {
    format: 'maas-pipeline/1',
    columns: [],
    target: { name: IMAGE_TARGET, task: 'multiclass', classes: set.classes },
    datasetColumns: [],
    image,
  };
  return {
    format: 'image',
    inputShape: [set.height, set.width, set.channels],
    pipeline,
    inputNames: [],
    outputUnits: set.classes.length,
    train: take(split.train),
    validation: take(split.validation),
    test: take(split.test),
    // Image indexes in the stored set, for the version's lineage.
    testRowIndexes: Int32Array.from(split.test),
  };
}
