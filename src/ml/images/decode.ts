/**
 * Decoding one PNG or JPEG file to uint8 pixels with pure-JS decoders (pngjs, jpeg-js: nothing
 * native, so the project installs from npm alone), and converting channels.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { badInput } from '../../lib/errors';

/** One decoded image: `[height, width, channels]` row-major uint8. */
export interface DecodedImage {
  height: number;
  width: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** Largest image accepted, pixels (width × height): a 4096 × 4096 image is 48 MiB as RGB. (Default: 16,777,216) */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

/** PNG's 8-byte signature and JPEG's start-of-image marker (ISO/IEC 10918-1 B.1.1.3) with the next marker's 0xFF. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_START = [0xff, 0xd8, 0xff];
/** True when `bytes` begin with `magic`, or are a non-empty beginning of it (a file cut inside its signature). */
const startsWith = (bytes: Uint8Array, magic: number[]) => bytes.length > 0 && magic.every((m, i) => i >= bytes.length || bytes[i] === m);
const isPng = (b: Uint8Array) => startsWith(b, PNG_SIGNATURE);
const isJpeg = (b: Uint8Array) => startsWith(b, JPEG_START);

/** The format's name, for messages. */
const formatOf = (b: Uint8Array) => (isPng(b) ? 'PNG' : 'JPEG');

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
  // IHDR is the first chunk: length (4), type (4), then width and height, big-endian (PNG spec 11.2.2).
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

/** jpeg-js' own refusals of a file too large to decode (its limits, set from `maxPixels`), as opposed to corrupt data. */
const JPEG_TOO_LARGE = /^max(ResolutionInMP|MemoryUsageInMB) limit exceeded/;

/**
 * The checks {@link decodeImage} makes before decoding, on the file's signature and header alone
 * (microseconds: a caller runs them on every image of a request before any decoding).
 * @returns the size the header declares.
 * @throws AppError BAD_USER_INPUT naming `field`: empty, neither PNG nor JPEG, no readable header
 *   (truncated), a zero side, or more than `maxPixels` pixels.
 */
export function checkImageHeader(bytes: Uint8Array, field: string, maxPixels = MAX_IMAGE_PIXELS): { width: number; height: number } {
  if (bytes.length === 0) throw badInput(`${field} is empty (0 bytes); expected a PNG or JPEG file`, { field });
  if (!isPng(bytes) && !isJpeg(bytes)) throw badInput(`${field} is neither a PNG nor a JPEG image`, { field });
  const format = formatOf(bytes);
  const corrupt = (why: string) => badInput(`${field} is a truncated or corrupt ${format} (${bytes.length} bytes${why})`, { field });
  const size = imageSize(bytes);
  if (!size) throw corrupt(format === 'PNG' ? ': no complete header' : ': no frame header');
  if (size.width === 0 || size.height === 0) throw corrupt(`: its header declares ${size.width}×${size.height} pixels`);
  if (size.width * size.height > maxPixels) throw badInput(`${field} has ${size.width}×${size.height} pixels; at most ${maxPixels}`, { field });
  return size;
}

/**
 * Decodes a PNG or JPEG file. Its size is read from the header first (IHDR, or the JPEG's frame
 * header) and refused before anything is allocated when it is zero or past `maxPixels` (a
 * decompression bomb declares gigapixels in a few bytes); a file whose header cannot be read, or that
 * the decoder cannot finish, is refused as truncated or corrupt. The decoders' own messages (pngjs'
 * stream internals, jpeg-js' markers) are not passed on: they name nothing the caller sent.
 * @param field names the input in messages (e.g. `images[2]`, `images 'train/cat/01.png'`).
 * @param maxPixels largest width × height accepted, checked on the header before decoding. (Default: {@link MAX_IMAGE_PIXELS})
 * @throws AppError BAD_USER_INPUT naming `field`: empty, neither PNG nor JPEG, truncated or corrupt
 *   (`… is a truncated or corrupt PNG (N bytes)`), or zero or more than `maxPixels` pixels.
 */
export function decodeImage(bytes: Uint8Array, field: string, maxPixels = MAX_IMAGE_PIXELS): DecodedImage {
  const size = checkImageHeader(bytes, field, maxPixels);
  const format = formatOf(bytes);
  const corrupt = () => badInput(`${field} is a truncated or corrupt ${format} (${bytes.length} bytes)`, { field });
  const tooLarge = (width: number, height: number) => badInput(`${field} has ${width}×${height} pixels; at most ${maxPixels}`, { field });
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    if (format === 'PNG') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      rgba = { width: png.width, height: png.height, data: png.data };
    } else {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: 256 });
      rgba = { width: img.width, height: img.height, data: img.data };
    }
  } catch (err) {
    if (JPEG_TOO_LARGE.test(String((err as Error)?.message))) throw tooLarge(size.width, size.height);
    throw corrupt();
  }
  // What was decoded must be what the header declared (a JPEG may hold several frames).
  if (rgba.width * rgba.height > maxPixels) throw tooLarge(rgba.width, rgba.height);
  if (rgba.width === 0 || rgba.height === 0 || rgba.data.length < 4 * rgba.width * rgba.height) throw corrupt();
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
