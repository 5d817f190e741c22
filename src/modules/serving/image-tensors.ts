/**
 * The platform's own image models (CNNs) as V2 tensors: one input `image`, `[images, height, width,
 * channels]` pixel values 0-255 (UINT8, or any numeric datatype), normalised by the version as for
 * `predictImage`; outputs as a classifier's (`predict` labels, `probabilities` `[images, classes]`).
 */
import { AppError, badInput, quote } from '../../lib/errors';
import type { ImageInput } from '../../ml/images/normalize';
import type { Prediction } from '../../ml/predict';
import type { NamedTensor, TensorSpec } from '../../ml/tensor-io';
import { tensorPixels } from './decode-images';

/** The input name image models declare. */
export const IMAGE_INPUT = 'image';

/** An image model's input as a V2 tensor spec. */
export function imageInputSpecs(image: ImageInput): TensorSpec[] {
  return [{ name: IMAGE_INPUT, datatype: 'UINT8', shape: [-1, image.height, image.width, image.channels] }];
}

/**
 * The one input tensor → pixels the version scores.
 * @throws AppError BAD_USER_INPUT for another number of inputs, a non-numeric datatype, another
 *   shape than the model's, a value outside 0-255 (named `inputs[0] (tensor '…')`).
 */
export function tensorsToPixels(inputs: NamedTensor[], image: ImageInput): { pixels: Uint8Array; count: number } {
  const wanted = `[images, ${image.height}, ${image.width}, ${image.channels}]`;
  if (inputs.length !== 1) throw badInput(`An image model takes one input tensor ${wanted} of pixel values 0-255, got ${inputs.length}`, { field: 'inputs' });
  const t = inputs[0]!;
  if (t.datatype === 'BYTES' || t.datatype === 'BOOL') {
    throw badInput(`inputs[0] (tensor ${quote(t.name)}) is ${t.datatype}; an image model takes numbers 0-255 (UINT8) shaped ${wanted}`, { field: 'inputs[0].datatype' });
  }
  try {
    return tensorPixels({ shape: t.shape, values: Array.from(t.data as ArrayLike<number>) }, image);
  } catch (err) {
    if (err instanceof AppError && err.code === 'BAD_USER_INPUT') throw badInput(`inputs[0] (tensor ${quote(t.name)}): ${err.message}`, { field: 'inputs[0]' });
    throw err;
  }
}

/** Class probabilities `[count, classes]` → predictions (the most probable class, as predictImage). */
export function imagePredictions(out: Float32Array, count: number, classes: string[]): Prediction[] {
  const k = classes.length;
  return Array.from({ length: count }, (_, i) => {
    const probabilities = Array.from(out.subarray(i * k, (i + 1) * k));
    let best = 0;
    for (let c = 1; c < k; c++) if (probabilities[c]! > probabilities[best]!) best = c;
    return { label: classes[best]!, probability: probabilities[best]!, probabilities };
  });
}
