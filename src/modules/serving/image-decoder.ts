/**
 * Where a serving call's PNG/JPEG images are decoded (review F11: a 57 KB PNG of 4096 × 4096 cost
 * the API's event loop ~1 s to decode and resize, 64 of them per predictImage call, and every
 * tenant's requests waited meanwhile).
 *
 * On the API thread, only what is cheap: base64 to bytes (native), and each file's signature and
 * header (its size, microseconds), which the call's pixels are counted from and refused past
 * MAX_IMAGE_PIXELS_PER_CALL before any decoding. The decoding and resizing run on the data threads
 * (DATA_THREADS, src/ml/data/csv-tasks.ts), which already decode image and CSV uploads: the pure-JS
 * decoders load there already, the pool is sized for the machine's cores, and its threads start on
 * first use. Not the scoring threads (their lanes are for models, with quarantine semantics a bad
 * PNG has nothing to do with) nor the answer threads (one by default, shared with every large JSON
 * body: a second of decoding there would hold them). Tasks wait in a FairQueue per tenant (the
 * scoring lanes' start-time fair queueing, by time): one tenant's images run on at most
 * DATA_TASKS_PER_TENANT threads and never on every one, so another tenant's call (or upload) always
 * finds a thread, and waits at most for the current task of each busy thread. The pixels come back
 * moved, not copied. A CNN call is one task (its images are the model's size, a bounded whole); an
 * ONNX call is one task per image (each up to MAX_IMAGE_PIXELS' 16,777,216 pixels: ~0.6 s on this
 * machine's threads), so its float32 inputs are not all held at once and other tenants' tasks
 * interleave.
 */
import { badInput } from '../../lib/errors';
import { movable } from '../../lib/threads/task-result';
import type { CsvThreads } from '../../ml/data/csv-tasks';
import type { OnnxImagePreprocessing } from '../../ml/families/onnx/serving-info';
import { checkImageHeader } from '../../ml/images/decode';
import type { ImageInput } from '../../ml/images/normalize';
import { decodeToShape, onnxImageTensor } from '../../ml/images/request-images';
import { FairQueue } from '../../ml/serving/fair-queue';
import { MAX_REQUESTS_IN_FLIGHT } from '../quotas/tenant-limits';
import { base64Bytes } from './decode-images';

/**
 * Calls whose decoding work (source pixels, plus the model's input pixels per image for an ONNX
 * recipe) is at most this stay on the API thread, where the hop would cost more than the work.
 * Measured on the 2 shared cores (a warm data thread, 300 calls each): one 28 × 28 PNG takes
 * 0.45 ms as a thread round trip against 0.12 ms inline; at 16,384 pixels the two meet (4 × 64²:
 * 0.41 vs 0.27 ms; 1 × 128²: 0.46 vs 0.24 ms; 20 × 28²: 0.83 vs 0.80 ms), and past it inline grows
 * with the pixels (~26–39 megapixels/s) while the hop stays ~0.4 ms. (Default: 16,384)
 */
export const IMAGE_INLINE_MAX_PIXELS = 16_384;

/** The files of a call, read and counted: their bytes, names and header sizes. */
export interface ReadImages {
  bytes: Uint8Array[];
  fields: string[];
  sizes: { width: number; height: number }[];
  /** Width × height summed over the images. */
  pixels: number;
}

export interface ImageDecoderOptions {
  /** Pixels (width × height, summed over the images) one call may decode: MAX_IMAGE_PIXELS_PER_CALL. */
  maxCallPixels: number;
  /** Data threads (DATA_THREADS): image tasks running at once. */
  threads: number;
  /** Threads one tenant's image tasks may hold at once (below `threads`, at least 1). */
  threadsPerTenant: number;
  /** See {@link IMAGE_INLINE_MAX_PIXELS}. (Default: it) */
  inlineMaxPixels?: number;
}

export class ImageDecoder {
  private readonly queue: FairQueue;
  private readonly inlineMax: number;

  /** @param threads the data threads; undefined decodes everything inline (tests of the services alone). */
  constructor(
    private readonly threads: CsvThreads | undefined,
    private readonly options: ImageDecoderOptions,
  ) {
    const slots = Math.max(1, options.threads);
    // No cap of its own on waiting tasks: each call has one task at a time, and a tenant's calls in progress are capped (in-flight-guard.ts).
    this.queue = new FairQueue('the data threads (images)', slots, MAX_REQUESTS_IN_FLIGHT, undefined, Math.max(1, Math.min(options.threadsPerTenant, slots)));
    this.inlineMax = options.inlineMaxPixels ?? IMAGE_INLINE_MAX_PIXELS;
  }

  /**
   * Base64 to bytes and each file's header checked, in order, then the call's pixels counted.
   * @param argument the argument's name for the count's message (`images`, `image`).
   * @param check also checks each header's size (e.g. against the model's input shape).
   * @throws AppError BAD_USER_INPUT naming the image (not base64, empty, not PNG/JPEG, no header, more
   *   than `maxPixels`, as `check` throws), or naming MAX_IMAGE_PIXELS_PER_CALL when the images hold
   *   more pixels in all (`details`: field, pixels, limit).
   */
  read(
    images: string[],
    argument: string,
    fieldOf: (i: number) => string,
    maxPixels: number,
    check?: (field: string, size: { width: number; height: number }) => void,
  ): ReadImages {
    const out: ReadImages = { bytes: [], fields: [], sizes: [], pixels: 0 };
    images.forEach((text, i) => {
      const field = fieldOf(i);
      const bytes = base64Bytes(text, field);
      const size = checkImageHeader(bytes, field, maxPixels);
      check?.(field, size);
      out.bytes.push(bytes);
      out.fields.push(field);
      out.sizes.push(size);
      out.pixels += size.width * size.height;
    });
    const limit = this.options.maxCallPixels;
    if (out.pixels > limit) {
      const n = images.length;
      throw badInput(
        `${argument} hold${n === 1 ? 's' : ''} ${out.pixels} pixels (width × height${n === 1 ? '' : `, summed over ${n} images`}); at most ${limit} are decoded per call (MAX_IMAGE_PIXELS_PER_CALL): send fewer or smaller images`,
        { field: argument, pixels: out.pixels, limit },
      );
    }
    return out;
  }

  /**
   * A CNN call's images → `[images, h, w, c]` uint8 pixels of the model's shape (see decodeToShape).
   * @throws AppError BAD_USER_INPUT naming the image (corrupt, another size); QUOTA_EXCEEDED when the threads are full.
   */
  async pixels(tenantId: string, read: ReadImages, image: ImageInput): Promise<Uint8Array> {
    if (!this.threads || read.pixels <= this.inlineMax) return decodeToShape(read.bytes, read.fields, image);
    const threads = this.threads;
    const bytes = read.bytes.map((b) => movable(b).bytes);
    return this.queue.submit(tag(tenantId), () =>
      threads.run(
        'decodeRequestImages',
        { images: bytes, fields: read.fields, image },
        bytes.map((b) => b.buffer as ArrayBuffer),
      ),
    );
  }

  /**
   * Image `i` of an ONNX call → the model's float32 input by the version's recipe (see onnxImageTensor).
   * Decoded up to its header's size, so what is decoded is what {@link read} counted.
   * @throws AppError BAD_USER_INPUT naming the image (corrupt); QUOTA_EXCEEDED when the threads are full.
   */
  async onnxInput(tenantId: string, read: ReadImages, i: number, recipe: OnnxImagePreprocessing): Promise<{ data: Float32Array; shape: number[] }> {
    const { width, height } = read.sizes[i]!;
    const maxPixels = width * height;
    const work = read.pixels + read.bytes.length * recipe.height * recipe.width;
    if (!this.threads || work <= this.inlineMax) return onnxImageTensor(read.bytes[i]!, read.fields[i]!, maxPixels, recipe);
    const threads = this.threads;
    const bytes = movable(read.bytes[i]!).bytes;
    return this.queue.submit(tag(tenantId), () => threads.run('onnxImageInput', { bytes, field: read.fields[i]!, maxPixels, recipe }, [bytes.buffer as ArrayBuffer]));
  }

  /** Image tasks running and waiting. */
  stats() {
    return this.queue.stats();
  }
}

const tag = (tenantId: string) => ({ tenantId, versionId: '', artifact: '' });
