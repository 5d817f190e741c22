/**
 * Input normalisation of an image model, stored with the version (FittedPipeline.image) so
 * prediction applies exactly what training did: `scale` maps 0-255 to [0, 1]; `standardize`
 * subtracts the training split's per-channel mean and divides by its std (both in 0-255 units).
 */
import { badInput } from '../../lib/errors';

/** The image part of a version's pipeline. */
export interface ImageInput {
  height: number;
  width: number;
  channels: number;
  normalization: 'scale' | 'standardize';
  /** standardize: per channel, 0-255 units. */
  mean?: number[];
  std?: number[];
}

/**
 * uint8 pixels → model inputs.
 * @param pixels `[count, h, w, c]` row-major 0-255 (any numeric array: tensors sent as numbers too).
 * @returns float32 `[count, h, w, c]`.
 */
export function toModelInputs(pixels: ArrayLike<number>, input: ImageInput): Float32Array {
  const out = new Float32Array(pixels.length);
  const c = input.channels;
  if (input.normalization === 'scale') {
    for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! / 255;
    return out;
  }
  const mean = input.mean!;
  const std = input.std!.map((s) => (s > 0 ? s : 1));
  for (let i = 0; i < pixels.length; i++) out[i] = (pixels[i]! - mean[i % c]!) / std[i % c]!;
  return out;
}

/**
 * Per-channel mean and std over the images at `rows` (the training split).
 * @param pixels `[count, h, w, c]`.
 */
export function channelMoments(pixels: Uint8Array, imageSize: number, channels: number, rows: ArrayLike<number>): { mean: number[]; std: number[] } {
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  for (let r = 0; r < rows.length; r++) {
    const start = rows[r]! * imageSize;
    for (let k = 0; k < imageSize; k++) {
      const v = pixels[start + k]!;
      sum[k % channels] += v;
      sumSq[k % channels] += v * v;
    }
  }
  const n = (rows.length * imageSize) / channels;
  const mean = Array.from(sum, (s) => s / Math.max(1, n));
  return { mean, std: Array.from(sumSq, (s, k) => Math.sqrt(Math.max(0, s / Math.max(1, n) - mean[k]! ** 2))) };
}

/**
 * Checks one request's pixels against the version's input shape.
 * @throws AppError BAD_USER_INPUT naming `field` when the size or channels differ.
 */
export function checkImageShape(field: string, height: number, width: number, channels: number, input: ImageInput): void {
  if (height !== input.height || width !== input.width || channels !== input.channels)
    throw badInput(`${field} is ${width}×${height} with ${channels} channel${channels > 1 ? 's' : ''}; the model takes ${input.width}×${input.height} with ${input.channels}`, {
      field,
    });
}
