/**
 * Reading uploaded image data into an {@link ImageSet}: the MNIST IDX format (gzipped or not), a
 * ZIP archive of PNG/JPEG files in one folder per class, and pixel-column CSVs (a label column and
 * one column per pixel value, e.g. Kaggle's MNIST CSVs).
 */
import { gunzipSync, unzipSync } from 'fflate';
import { badInput } from '../../lib/errors';
import { decodeImage, toChannels } from './decode';
import type { ImageSet } from './image-set';

/** Limits on one upload's images. */
export interface ImageLimits {
  /** Images per dataset. (Default: 100,000) */
  maxImages: number;
  /** Pixels per image (height × width). (Default: 262,144 = 512 × 512) */
  maxPixelsPerImage: number;
}

export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({ maxImages: 100_000, maxPixelsPerImage: 512 * 512 });

/** Bytes a gunzip may produce: more is refused as a decompression bomb. 1 GiB. */
const MAX_INFLATED = 1024 ** 3;

function checkSize(count: number, height: number, width: number, limits: ImageLimits, field: string): void {
  if (count === 0) throw badInput(`${field} holds no images`);
  if (count > limits.maxImages) throw badInput(`${field} holds ${count} images; at most ${limits.maxImages} per dataset`);
  if (height * width > limits.maxPixelsPerImage) throw badInput(`${field} has ${height}×${width} images; at most ${limits.maxPixelsPerImage} pixels per image`);
}

/** gunzip when the bytes start with the gzip magic number, else as they are. */
function maybeGunzip(bytes: Uint8Array, field: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  // ISIZE (the last 4 bytes) is the inflated size mod 2^32: refuse bombs before inflating.
  const isize = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true);
  if (isize > MAX_INFLATED) throw badInput(`${field} inflates to ${isize} bytes; at most ${MAX_INFLATED}`);
  try {
    return gunzipSync(bytes);
  } catch (err) {
    throw badInput(`${field} is not a valid gzip file: ${String((err as Error).message).slice(0, 100)}`);
  }
}

/**
 * MNIST's IDX files: images (magic 2051: count, rows, cols, then uint8 pixels) and labels (magic
 * 2049: count, then uint8 labels), big-endian headers, as published at yann.lecun.com/exdb/mnist.
 * Classes are the distinct label values as strings, sorted numerically.
 * @throws AppError BAD_USER_INPUT naming `images` or `labels`: wrong magic number, truncated data,
 *   counts that differ, or sizes past `limits`.
 */
export function readMnistIdx(imagesFile: Uint8Array, labelsFile: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): ImageSet {
  const images = maybeGunzip(imagesFile, 'images');
  const labels = maybeGunzip(labelsFile, 'labels');
  const iv = new DataView(images.buffer, images.byteOffset, images.byteLength);
  const lv = new DataView(labels.buffer, labels.byteOffset, labels.byteLength);
  if (images.length >= 4 && iv.getUint32(0) !== 2051) throw badInput(`images has magic number ${iv.getUint32(0)}; an IDX image file has 2051`);
  if (labels.length >= 4 && lv.getUint32(0) !== 2049) throw badInput(`labels has magic number ${lv.getUint32(0)}; an IDX label file has 2049`);
  if (images.length < 16) throw badInput(`images is ${images.length} bytes: too short for an IDX image file`);
  if (labels.length < 8) throw badInput(`labels is ${labels.length} bytes: too short for an IDX label file`);
  const [count, height, width] = [iv.getUint32(4), iv.getUint32(8), iv.getUint32(12)];
  checkSize(count, height, width, limits, 'images');
  if (lv.getUint32(4) !== count) throw badInput(`labels holds ${lv.getUint32(4)} labels but images holds ${count} images`);
  if (images.length !== 16 + count * height * width) throw badInput(`images is ${images.length} bytes; ${count} images of ${height}×${width} need ${16 + count * height * width}`);
  if (labels.length !== 8 + count) throw badInput(`labels is ${labels.length} bytes; ${count} labels need ${8 + count}`);
  const raw = labels.subarray(8);
  const values = [...new Set(raw)].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  return {
    count,
    height,
    width,
    channels: 1,
    pixels: images.slice(16),
    labels: Uint16Array.from(raw, (v) => index.get(v)!),
    classes: values.map(String),
  };
}

/**
 * A ZIP archive with one folder per class (`cat/001.png`, `dog/a.jpg`, or under one top folder:
 * `train/cat/001.png`); the class is the image's parent folder. Every image must have the size of
 * the first (sorted by path); grayscale and RGB mix as RGB when any image is in colour.
 * Files that are not .png/.jpg/.jpeg and macOS metadata (`__MACOSX/`, dot files) are skipped.
 * @throws AppError BAD_USER_INPUT naming the file: not a ZIP, an undecodable image, an image of
 *   another size, fewer than two classes, or sizes past `limits`.
 */
export function readImageFolderZip(zip: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): ImageSet {
  let files: Record<string, Uint8Array>;
  let inflated = 0;
  try {
    files = unzipSync(zip, {
      filter: (f) => {
        const keep = /\.(png|jpe?g)$/i.test(f.name) && !f.name.startsWith('__MACOSX/') && !/(^|\/)\./.test(f.name);
        if (keep) inflated += f.originalSize;
        if (inflated > MAX_INFLATED) throw badInput(`images inflates to more than ${MAX_INFLATED} bytes`);
        return keep;
      },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'BAD_USER_INPUT') throw err;
    throw badInput(`images is not a valid ZIP archive: ${String((err as Error).message).slice(0, 100)}`);
  }
  const paths = Object.keys(files)
    .filter((p) => p.split('/').length >= 2)
    .sort();
  checkSize(paths.length, 0, 0, limits, 'images');
  const classOf = (p: string) => p.split('/').at(-2)!;
  const classes = [...new Set(paths.map(classOf))].sort();
  if (classes.length < 2)
    throw badInput(`images has ${classes.length} class folder${classes.length === 1 ? ` ('${classes[0]}')` : 's'}; put each class's images in its own folder, at least two`);
  const decoded = paths.map((p) => decodeImage(files[p]!, `images '${p.slice(0, 200)}'`, limits.maxPixelsPerImage));
  const first = decoded[0]!;
  checkSize(paths.length, first.height, first.width, limits, 'images');
  const channels = decoded.some((d) => d.channels === 3) ? 3 : 1;
  const size = first.height * first.width * channels;
  const pixels = new Uint8Array(paths.length * size);
  decoded.forEach((d, i) => {
    if (d.height !== first.height || d.width !== first.width)
      throw badInput(
        `images '${paths[i]!.slice(0, 200)}' is ${d.width}×${d.height} but '${paths[0]!.slice(0, 200)}' is ${first.width}×${first.height}; every image must have one size`,
      );
    pixels.set(toChannels(d, channels).data, i * size);
  });
  return {
    count: paths.length,
    height: first.height,
    width: first.width,
    channels,
    pixels,
    labels: Uint16Array.from(paths, (p) => classes.indexOf(classOf(p))),
    classes,
  };
}

/**
 * A pixel-column CSV: a header, a `label` column (any position; named by `labelColumn`), and
 * height × width × channels pixel columns of integers 0-255 in row-major HWC order.
 * @param shape `[height, width, channels]` of one image.
 * @throws AppError BAD_USER_INPUT naming the line and column: no label column, a column count that
 *   is not the shape's, a value that is not an integer 0-255.
 */
export function readPixelCsv(text: string, shape: [number, number, number], labelColumn = 'label', limits: ImageLimits = DEFAULT_IMAGE_LIMITS): ImageSet {
  const [height, width, channels] = shape;
  if (channels !== 1 && channels !== 3) throw badInput(`imageShape channels is ${channels}; 1 or 3`);
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const labelAt = header.indexOf(labelColumn);
  if (labelAt < 0) throw badInput(`The CSV has no column '${labelColumn.slice(0, 100)}'`);
  const size = height * width * channels;
  if (header.length - 1 !== size) throw badInput(`The CSV has ${header.length - 1} pixel columns but imageShape ${height}×${width}×${channels} needs ${size}`);
  const count = lines.length - 1;
  checkSize(count, height, width, limits, 'csv');
  const pixels = new Uint8Array(count * size);
  const names: string[] = [];
  for (let r = 0; r < count; r++) {
    const cells = lines[r + 1]!.split(',');
    if (cells.length !== header.length) throw badInput(`The CSV's line ${r + 2} has ${cells.length} fields; the header has ${header.length}`);
    let k = r * size;
    cells.forEach((cell, j) => {
      if (j === labelAt) return void names.push(cell.trim());
      const v = Number(cell);
      if (!Number.isInteger(v) || v < 0 || v > 255)
        throw badInput(`The CSV's line ${r + 2}, column '${header[j]!.slice(0, 100)}' is '${cell.slice(0, 20)}'; pixels are integers 0-255`);
      pixels[k++] = v;
    });
  }
  const numeric = names.every((n) => n !== '' && Number.isFinite(Number(n)));
  const classes = [...new Set(names)].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  const index = new Map(classes.map((c, i) => [c, i]));
  return { count, height, width, channels, pixels, labels: Uint16Array.from(names, (n) => index.get(n)!), classes };
}
