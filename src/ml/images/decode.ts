/**
 * Decoding one PNG or JPEG file to uint8 pixels with pure-JS decoders (pngjs, jpeg-js: nothing
 * native, so the project installs from npm alone), and converting channels.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { AppError, badInput } from '../../lib/errors';

/** One decoded image: `[height, width, channels]` row-major uint8. */
export interface DecodedImage {
  height: number;
  width: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** Largest image accepted, pixels (width × height): a 4096 × 4096 image is 48 MiB as RGB. (Default: 16,777,216) */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

const isPng = (b: Uint8Array) => b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/**
 * RGBA → grayscale when every pixel has R = G = B (PNGs written from grayscale arrive as RGBA from
 * pngjs), otherwise RGB. Alpha is dropped (composited over nothing: the colour values as stored).
 */
function fromRgba(rgba: Uint8Array, width: number, height: number): DecodedImage {
  const n = width * height;
  let gray = true;
  for (let i = 0; i < n && gray; i++) gray = rgba[4 * i] === rgba[4 * i + 1] && rgba[4 * i] === rgba[4 * i + 2];
  const channels = gray ? 1 : 3;
  const data = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    if (gray) data[i] = rgba[4 * i]!;
    else for (let c = 0; c < 3; c++) data[3 * i + c] = rgba[4 * i + c]!;
  }
  return { height, width, channels, data };
}

/**
 * @param field names the input in messages (e.g. `images[2]`, `train/cat/01.png`).
 * @throws AppError BAD_USER_INPUT when the bytes are neither PNG nor JPEG, cannot be decoded, or
 *   have more than {@link MAX_IMAGE_PIXELS} pixels.
 */
export function decodeImage(bytes: Uint8Array, field: string): DecodedImage {
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    if (isPng(bytes)) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      rgba = { width: png.width, height: png.height, data: png.data };
    } else if (isJpeg(bytes)) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 256 });
      rgba = { width: img.width, height: img.height, data: img.data };
    } else {
      throw badInput(`${field} is neither a PNG nor a JPEG image`);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badInput(`${field} could not be decoded: ${String((err as Error).message ?? err).slice(0, 100)}`);
  }
  if (rgba.width * rgba.height > MAX_IMAGE_PIXELS) throw badInput(`${field} has ${rgba.width}×${rgba.height} pixels; at most ${MAX_IMAGE_PIXELS}`);
  return fromRgba(rgba.data, rgba.width, rgba.height);
}

/** The image with `channels` channels: grayscale repeated to RGB, or RGB averaged (ITU-R BT.601 luma) to grayscale. */
export function toChannels(image: DecodedImage, channels: 1 | 3): DecodedImage {
  if (image.channels === channels) return image;
  const n = image.width * image.height;
  const data = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    if (channels === 3) data.fill(image.data[i]!, 3 * i, 3 * i + 3);
    else data[i] = Math.round(0.299 * image.data[3 * i]! + 0.587 * image.data[3 * i + 1]! + 0.114 * image.data[3 * i + 2]!);
  }
  return { ...image, channels, data };
}
