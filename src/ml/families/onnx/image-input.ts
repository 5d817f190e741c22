/**
 * A decoded image → an ONNX image model's input tensor, by the version's recipe
 * (./serving-info.ts OnnxImagePreprocessing): bilinear resize of the short side, centre crop,
 * `(pixel · scale − mean) / std` per channel, NCHW or NHWC. Resize and crop are one pass: each
 * output pixel samples the resized image's coordinates in the source (half-pixel centres, as
 * PIL/torchvision and OpenCV; no antialiasing filter, which matters only for strong downscaling).
 */
import { toChannels, type DecodedImage } from '../../images/decode';
import type { OnnxImagePreprocessing } from './serving-info';

/**
 * @param image decoded pixels `[height, width, channels]` uint8 (channels converted as needed).
 * @returns the input of one image: `[1, c, h, w]` (NCHW) or `[1, h, w, c]` (NHWC) row-major, with its shape.
 */
export function imageTensor(image: DecodedImage, recipe: OnnxImagePreprocessing): { data: Float32Array; shape: number[] } {
  const src = toChannels(image, recipe.channels);
  const { height: H, width: W } = src;
  const { height: h, width: w, channels: c } = recipe;
  // The resized size (short side = resizeShortSide, aspect kept), and the crop's offset in it.
  let rh = h;
  let rw = w;
  if (recipe.resizeShortSide !== null) {
    const r = recipe.resizeShortSide;
    [rh, rw] = H <= W ? [r, Math.max(r, Math.round((W * r) / H))] : [Math.max(r, Math.round((H * r) / W)), r];
  }
  const top = Math.floor((rh - h) / 2);
  const left = Math.floor((rw - w) / 2);
  const [sy, sx] = [H / rh, W / rw];
  const out = new Float32Array(c * h * w);
  const px = src.data;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(H - 1, Math.max(0, (y + top + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(H - 1, y0 + 1);
    const dy = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(W - 1, Math.max(0, (x + left + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(W - 1, x0 + 1);
      const dx = fx - x0;
      for (let k = 0; k < c; k++) {
        const at = (yy: number, xx: number) => px[(yy * W + xx) * c + k]!;
        const v = (at(y0, x0) * (1 - dx) + at(y0, x1) * dx) * (1 - dy) + (at(y1, x0) * (1 - dx) + at(y1, x1) * dx) * dy;
        const value = (v * recipe.scale - recipe.mean[k]!) / recipe.std[k]!;
        out[recipe.layout === 'NCHW' ? k * h * w + y * w + x : (y * w + x) * c + k] = value;
      }
    }
  }
  return { data: out, shape: recipe.layout === 'NCHW' ? [1, c, h, w] : [1, h, w, c] };
}
