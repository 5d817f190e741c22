/**
 * An image dataset as stored: every image decoded once to uint8 pixels of one shape, with its class.
 * Stored in the Dataset row's `content` as one binary container (see {@link encodeImageSet}), so a
 * training run reads tensors, not PNG/JPEG files.
 *
 * Glossary: *pixels* are the stored uint8 values, row-major `[count, height, width, channels]`;
 * *model inputs* are the float32 values a network sees after the version's normalisation
 * (./normalize.ts).
 */
import { badInput } from '../../lib/errors';

/** Decoded images of one shape and their class labels. */
export interface ImageSet {
  count: number;
  height: number;
  width: number;
  /** 1 (grayscale) or 3 (RGB). */
  channels: number;
  /** `[count, height, width, channels]`, row-major, 0-255. */
  pixels: Uint8Array;
  /** `[count]`: index into `classes`. */
  labels: Uint16Array;
  /** Class names, sorted (digits '0'…'9' for MNIST; folder names for an archive). */
  classes: string[];
}

/** The container's first 8 bytes. */
const MAGIC = 'MAASIMG1';

/**
 * Serialises a set: magic, uint32 LE header length, JSON header `{ count, height, width, channels,
 * classes }`, the pixels, then the labels as uint16 LE.
 */
export function encodeImageSet(set: ImageSet): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ count: set.count, height: set.height, width: set.width, channels: set.channels, classes: set.classes }));
  const out = new Uint8Array(12 + header.length + set.pixels.length + 2 * set.count);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, 12);
  out.set(set.pixels, 12 + header.length);
  const labels = new DataView(out.buffer, 12 + header.length + set.pixels.length);
  for (let i = 0; i < set.count; i++) labels.setUint16(2 * i, set.labels[i]!, true);
  return out;
}

/** Whether stored dataset bytes are an image container. */
export function isImageSet(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && new TextDecoder().decode(bytes.subarray(0, 8)) === MAGIC;
}

/**
 * Reads a container written by {@link encodeImageSet}; the pixels are a view of `bytes` (no copy).
 * @throws AppError BAD_USER_INPUT when the bytes are not a complete container.
 */
export function decodeImageSet(bytes: Uint8Array): ImageSet {
  if (!isImageSet(bytes)) throw badInput('The dataset is not an image dataset');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as Omit<ImageSet, 'pixels' | 'labels'>;
  const size = header.count * header.height * header.width * header.channels;
  const start = 12 + headerLength;
  if (bytes.length !== start + size + 2 * header.count) throw badInput('The image dataset is truncated');
  const labels = new Uint16Array(header.count);
  for (let i = 0; i < header.count; i++) labels[i] = view.getUint16(start + size + 2 * i, true);
  return { ...header, pixels: bytes.subarray(start, start + size), labels };
}
