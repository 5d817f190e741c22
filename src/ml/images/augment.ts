/**
 * Training-time augmentation of images: a random shift (Keras RandomTranslation) and a small random
 * rotation (Keras RandomRotation) per image and epoch, drawn from a seeded generator, applied with
 * one projective transform (tf.image.transform: bilinear, zeros outside the image).
 */
import type { AugmentationSpec } from '../spec-types';
import { tf } from '../tf';

/**
 * The transform of each image: output pixel (x, y) reads input pixel
 * (a0·x + a1·y + a2, b0·x + b1·y + b2), i.e. a rotation by θ about the centre, then a shift (tx, ty).
 * @returns `[count, 8]` rows for tf.image.transform.
 */
export function augmentationMatrices(count: number, height: number, width: number, spec: AugmentationSpec, random: () => number): Float32Array {
  const out = new Float32Array(count * 8);
  const [cx, cy] = [(width - 1) / 2, (height - 1) / 2];
  for (let i = 0; i < count; i++) {
    const theta = ((2 * random() - 1) * spec.rotationDegrees * Math.PI) / 180;
    const tx = (2 * random() - 1) * spec.shift * width;
    const ty = (2 * random() - 1) * spec.shift * height;
    const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
    out.set([cos, -sin, cx - cos * cx + sin * cy - tx, sin, cos, cy - sin * cx - cos * cy - ty, 0, 0], i * 8);
  }
  return out;
}

/**
 * @param x `[count, h, w, c]` model inputs; not disposed.
 * @returns a new `[count, h, w, c]` tensor, each image shifted and rotated; the caller disposes it.
 */
export function augmentImages(x: tf.Tensor, spec: AugmentationSpec, random: () => number): tf.Tensor {
  const [count, height, width] = x.shape as [number, number, number, number];
  return tf.tidy(() => {
    const transforms = tf.tensor2d(augmentationMatrices(count, height, width, spec, random), [count, 8]);
    return tf.image.transform(x as tf.Tensor4D, transforms, 'bilinear', 'constant', 0);
  });
}
