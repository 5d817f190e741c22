/** What a dataset's page shows of an image dataset: counts per class, image size, pixel statistics. */
import type { ImageSet } from './image-set';

/** The profile stored with an image dataset (Dataset.imageProfile). */
export interface ImageProfile {
  count: number;
  height: number;
  width: number;
  channels: number;
  /** Per class, in class order. */
  classes: { label: string; count: number }[];
  /** Per channel, over every pixel of every image, in 0-255 units. */
  channelMean: number[];
  channelStd: number[];
  /** Share of pixels that are exactly 0 (MNIST: ~0.81, a sign of a plain background). */
  zeroFraction: number;
}

/** One pass over the pixels. */
export function profileImages(set: ImageSet): ImageProfile {
  const c = set.channels;
  const sum = new Float64Array(c);
  const sumSq = new Float64Array(c);
  let zeros = 0;
  for (let i = 0; i < set.pixels.length; i++) {
    const v = set.pixels[i]!;
    sum[i % c] += v;
    sumSq[i % c] += v * v;
    if (v === 0) zeros++;
  }
  const perChannel = set.pixels.length / c;
  const counts = new Array<number>(set.classes.length).fill(0);
  for (const label of set.labels) counts[label]++;
  const mean = Array.from(sum, (s) => s / perChannel);
  return {
    count: set.count,
    height: set.height,
    width: set.width,
    channels: c,
    classes: set.classes.map((label, i) => ({ label, count: counts[i]! })),
    channelMean: mean,
    channelStd: Array.from(sumSq, (s, k) => Math.sqrt(Math.max(0, s / perChannel - mean[k]! ** 2))),
    zeroFraction: zeros / Math.max(1, set.pixels.length),
  };
}
