/**
 * Batch prediction over a stored image dataset: every image through a version's normalisation and
 * scorer in chunks, as CSV rows (the stored class beside the prediction).
 */
import { badInput } from '../../lib/errors';
import type { FittedPipeline } from '../preprocess/types';
import { requireFiniteOutputs } from '../predict';
import type { ImageSet } from './image-set';
import { toModelInputs } from './normalize';

/** One image's prediction row. */
export interface ImageBatchRow {
  /** 1-based image number in the dataset. */
  row: number;
  /** The dataset's class of the image. */
  label: string;
  predictedLabel: string;
  predictedProbability: number;
}

/**
 * Checks that the dataset's images fit the version.
 * @throws AppError BAD_USER_INPUT when the version is not an image model or the shapes differ.
 */
export function checkBatchImages(set: ImageSet, pipeline: FittedPipeline): void {
  const image = pipeline.image;
  if (!image) throw badInput('The model version is not an image model; an image dataset needs one (CONVOLUTIONAL_NETWORK)');
  if (set.height !== image.height || set.width !== image.width || set.channels !== image.channels)
    throw badInput(`The dataset's images are ${set.width}×${set.height}×${set.channels}; the model takes ${image.width}×${image.height}×${image.channels}`);
}

/**
 * Scores images [start, end) of `set`.
 * @throws AppError NON_FINITE_OUTPUT for a non-finite probability.
 */
export async function scoreImageChunk(
  score: (x: Float32Array, rows: number) => Float32Array | Promise<Float32Array>,
  pipeline: FittedPipeline,
  set: ImageSet,
  start: number,
  end: number,
): Promise<ImageBatchRow[]> {
  const image = pipeline.image!;
  const size = image.height * image.width * image.channels;
  const classes = pipeline.target.classes ?? [];
  const count = end - start;
  const out = await score(toModelInputs(set.pixels.subarray(start * size, end * size), image), count);
  requireFiniteOutputs(out, count);
  const k = classes.length;
  return Array.from({ length: count }, (_, i) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (out[i * k + c]! > out[i * k + best]!) best = c;
    return { row: start + i + 1, label: set.classes[set.labels[start + i]!]!, predictedLabel: classes[best]!, predictedProbability: out[i * k + best]! };
  });
}
