/** The ONNX image recipe (src/ml/families/onnx/image-input.ts): resize of the short side, centre crop, scaling, layouts. */
import { imageTensor } from '../../src/ml/families/onnx/image-input';
import type { OnnxImagePreprocessing } from '../../src/ml/families/onnx/serving-info';

const recipe = (o: Partial<OnnxImagePreprocessing>): OnnxImagePreprocessing => ({
  input: 'x',
  layout: 'NCHW',
  height: 2,
  width: 2,
  channels: 3,
  resizeShortSide: null,
  scale: 1,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  ...o,
});

/** A 2 × 4 RGB image whose red channel is the column index × 10, green the row × 100, blue 7. */
const image = { height: 2, width: 4, channels: 3 as const, data: Uint8Array.from({ length: 24 }, (_, i) => [10 * (((i / 3) % 4) | 0), 100 * ((i / 12) | 0), 7][i % 3]!) };

it('centre-crops after resizing the short side (no resize when it already fits), in NCHW and NHWC', () => {
  // Short side 2 → 2: the 2 × 4 image is kept, and the middle 2 × 2 (columns 1 and 2) cropped.
  const nchw = imageTensor(image, recipe({ resizeShortSide: 2 }));
  expect(nchw.shape).toEqual([1, 3, 2, 2]);
  expect(Array.from(nchw.data)).toEqual([10, 20, 10, 20, 0, 0, 100, 100, 7, 7, 7, 7]);
  const nhwc = imageTensor(image, recipe({ resizeShortSide: 2, layout: 'NHWC' }));
  expect(nhwc.shape).toEqual([1, 2, 2, 3]);
  expect(Array.from(nhwc.data)).toEqual([10, 0, 7, 20, 0, 7, 10, 100, 7, 20, 100, 7]);
});

it('applies (pixel · scale − mean) / std per channel, and converts to grayscale for one channel', () => {
  const x = imageTensor(image, recipe({ resizeShortSide: 2, scale: 1 / 10, mean: [1, 0, 0.7], std: [1, 10, 1] }));
  expect(Array.from(x.data).map((v) => Math.round(v * 1000) / 1000)).toEqual([0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0]);
  const gray = imageTensor(image, recipe({ channels: 1, mean: [0], std: [1], resizeShortSide: 2 }));
  expect(gray.shape).toEqual([1, 1, 2, 2]);
  expect(Array.from(gray.data)).toEqual([4, 7, 62, 65]); // BT.601 luma 0.299 R + 0.587 G + 0.114 B of (10|20, 0|100, 7), rounded
});

it('without resizeShortSide, stretches the whole image to the input size (bilinear)', () => {
  const x = imageTensor(image, recipe({ width: 2, height: 1 }));
  // Column centres of the 2-wide output sample the 4-wide source at 0.5 and 2.5: red 5 and 25.
  expect(Array.from(x.data.subarray(0, 2))).toEqual([5, 25]);
});
