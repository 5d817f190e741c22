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
 * Width and height from the file's header, without decoding: PNG's IHDR chunk, JPEG's first
 * start-of-frame marker (SOF0-SOF15 except DHT C4, JPG C8 and DAC CC). Lets a caller refuse a
 * decompression bomb (a few KB that inflate to gigapixels) or a wrong size before any work.
 * @returns undefined when the header cannot be read (the decoder then reports the error).
 */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPng(bytes)) return bytes.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : undefined;
  if (!isJpeg(bytes)) return undefined;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    at += 2 + view.getUint16(at + 2);
  }
  return undefined;
}

/**
 * @param field names the input in messages (e.g. `images[2]`, `train/cat/01.png`).
 * @param maxPixels largest width × height accepted, checked on the header before decoding. (Default: {@link MAX_IMAGE_PIXELS})
 * @throws AppError BAD_USER_INPUT when the bytes are neither PNG nor JPEG, cannot be decoded, or
 *   have more than `maxPixels` pixels.
 */
export function decodeImage(bytes: Uint8Array, field: string, maxPixels = MAX_IMAGE_PIXELS): DecodedImage {
  const size = imageSize(bytes);
  if (size && size.width * size.height > maxPixels) throw badInput(`${field} has ${size.width}×${size.height} pixels; at most ${maxPixels}`);
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    if (isPng(bytes)) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      rgba = { width: png.width, height: png.height, data: png.data };
    } else if (isJpeg(bytes)) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: 256 });
      rgba = { width: img.width, height: img.height, data: img.data };
    } else {
      throw badInput(`${field} is neither a PNG nor a JPEG image`);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badInput(`${field} could not be decoded: ${String((err as Error).message ?? err).slice(0, 100)}`);
  }
  if (rgba.width * rgba.height > maxPixels) throw badInput(`${field} has ${rgba.width}×${rgba.height} pixels; at most ${maxPixels}`);
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
