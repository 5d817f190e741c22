/**
 * Image predictions and explanations: images decoded to the version's input shape on a data thread
 * (./image-decoder.ts; small calls inline), then scored by the served model (its normalisation, the micro-batcher) or explained by occlusion.
 */
import { AppError, badInput } from '../../lib/errors';
import { MAX_IMAGE_PIXELS } from '../../ml/images/decode';
import { checkImageShape, type ImageInput } from '../../ml/images/normalize';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { QuotaService } from '../quotas/quota.service';
import { tensorPixels, type PixelTensor } from './decode-images';
import type { ImageDecoder } from './image-decoder';
import { predictOnnxImages } from './onnx-image-predict';
import type { ImageExplanation, ImagePrediction, ImagePredictionResult } from './image-predict.type';
import type { PredictService } from './predict.service';
import type { VersionSelector } from './version-resolver';

/** Images to score: base64 PNG/JPEG files or one tensor, exactly one. */
export interface ImagesInput {
  images?: string[] | null;
  tensor?: PixelTensor | null;
}

/** Largest occlusion grid side: 16 × 16 = 256 scored copies of the image. */
export const MAX_OCCLUSION_GRID = 16;

/** predictImage and explainImage for a tenant. */
export class ImagePredictService {
  constructor(
    private readonly predict: PredictService,
    private readonly quotas: QuotaService,
    /** maxPixels: largest image decoded for ONNX image models (their recipe resizes it). */
    private readonly options: { maxImages: number; maxPixels?: number },
    /** Where PNG/JPEG files are decoded (a data thread, or inline for few pixels), and the pixels per call. */
    private readonly decoder: ImageDecoder,
  ) {}

  /**
   * The call's pixels `[count, h, w, c]` in the model's shape: PNG/JPEG files (headers checked
   * against the model's size and counted here, decoded by the decoder) or a tensor.
   */
  private async pixels(actor: Actor, input: ImagesInput, image: ImageInput, argument: string, fieldOf: (i: number) => string): Promise<Uint8Array> {
    if (!input.images) return tensorPixels(input.tensor!, image).pixels;
    // A wrong size (or a decompression bomb) is refused on the header, before any decoding, by the
    // model's shape (no separate pixel bound: the shape is smaller); decoding is bounded by it too.
    const read = this.decoder.read(input.images, argument, fieldOf, Number.POSITIVE_INFINITY, (field, size) =>
      checkImageShape(field, size.height, size.width, image.channels, image),
    );
    return this.decoder.pixels(actor.tenantId, read, image);
  }

  /** @throws AppError BAD_USER_INPUT for neither or both inputs, none, or too many images. */
  private count(input: ImagesInput): number {
    if ((input.images == null) === (input.tensor == null)) throw badInput('Send exactly one of `images` and `tensor`');
    const shape = input.tensor?.shape;
    if (shape && (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 1))) {
      throw badInput(`tensor.shape must be 4 positive integers [images, height, width, channels], got [${shape.slice(0, 8).join(', ')}${shape.length > 8 ? ', …' : ''}]`);
    }
    const count = input.images ? input.images.length : shape![0]!;
    const field = input.images ? 'images' : 'tensor.shape[0]';
    if (count < 1) throw badInput(`${field} is empty: send at least one image`);
    if (count > this.options.maxImages) throw badInput(`${field} has ${count} images; at most ${this.options.maxImages} per call`);
    return count;
  }

  /** The version, which must be an image model. @throws AppError BAD_USER_INPUT for a tabular model. */
  private async image(actor: Actor, modelName: string, selector: VersionSelector, loaded?: Awaited<ReturnType<PredictService['load']>>) {
    const { ref, served } = loaded ?? (await this.predict.load(actor.tenantId, modelName, selector));
    if (served.pipeline.onnx) throw new AppError('NOT_SUPPORTED', `Model '${modelName}' version ${ref.version} is an uploaded ONNX model: explainImage is not available for it`);
    if (!served.image) throw badInput(`Model '${modelName}' version ${ref.version} is not an image model: use predict with rows`);
    return { ref, served, image: served.image, classes: served.pipeline.target.classes ?? [] };
  }

  /**
   * Class probabilities and the top-k labels of each image (`predict` scope; each image counts
   * against the prediction rate limit).
   * @param topK labels per image, most probable first (1 to the number of classes).
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (inputs, an image that is not base64 PNG/JPEG, another
   *   size than the model's, more pixels in all than MAX_IMAGE_PIXELS_PER_CALL, topK out of range, a
   *   tabular model), NOT_FOUND, MODEL_NOT_READY, QUOTA_EXCEEDED (also: the data threads are full).
   */
  async predictImage(actor: Actor, modelName: string, selector: VersionSelector, input: ImagesInput, topK: number): Promise<ImagePredictionResult> {
    requireScope(actor, 'predict');
    if (selector.version !== undefined && selector.alias !== undefined) throw badInput('predictImage takes `version` or `alias`, not both');
    // The version first: another tenant's model answers NOT_FOUND whatever else is wrong.
    const loaded = await this.predict.load(actor.tenantId, modelName, selector);
    const onnx = loaded.served.pipeline.onnx;
    if (onnx) {
      const n = this.count(input);
      if (!input.images) throw badInput('ONNX image models take `images` (PNG/JPEG files), preprocessed by the version; send raw tensors with infer');
      await this.quotas.consumePredictions(actor.tenantId, n);
      const result = await predictOnnxImages(loaded.served, onnx, input.images, topK, this.options.maxPixels ?? MAX_IMAGE_PIXELS, {
        decoder: this.decoder,
        tenantId: actor.tenantId,
      });
      return { modelName, version: loaded.ref.version, modelVersionId: loaded.ref.id, ...result };
    }
    const { ref, served, image, classes } = await this.image(actor, modelName, selector, loaded);
    const count = this.count(input);
    await this.quotas.consumePredictions(actor.tenantId, count);
    if (!Number.isInteger(topK) || topK < 1 || topK > classes.length) throw badInput(`topK must be an integer in [1, ${classes.length}], got ${topK}`);
    const pixels = await this.pixels(actor, input, image, 'images', (i) => `images[${i}]`);
    const out = await served.scoreImages(pixels, count);
    const k = classes.length;
    const predictions: ImagePrediction[] = Array.from({ length: count }, (_, i) => {
      const probabilities = Array.from(out.subarray(i * k, (i + 1) * k));
      const order = probabilities.map((p, c) => [p, c] as const).sort((a, b) => b[0] - a[0]);
      const top = order.slice(0, topK).map(([probability, c]) => ({ label: classes[c]!, probability }));
      return { label: top[0]!.label, probability: top[0]!.probability, top, probabilities };
    });
    return { modelName, version: ref.version, modelVersionId: ref.id, classes, predictions };
  }

  /**
   * An occlusion map of one image (`predict` scope; counts as grid² + 1 predictions).
   * @param label the class to explain. (Default: the predicted class)
   * @throws AppError as predictImage; BAD_USER_INPUT for a grid outside [2, 16] or an unknown
   *   label; NOT_SUPPORTED when the version's family cannot be explained.
   */
  async explainImage(actor: Actor, modelName: string, selector: VersionSelector, input: ImagesInput, grid: number, label: string | null): Promise<ImageExplanation> {
    requireScope(actor, 'predict');
    if (selector.version !== undefined && selector.alias !== undefined) throw badInput('explainImage takes `version` or `alias`, not both');
    const { ref, served, image, classes } = await this.image(actor, modelName, selector);
    if (this.count(input) !== 1) throw badInput('explainImage explains one image: send exactly one');
    if (!Number.isInteger(grid) || grid < 2 || grid > MAX_OCCLUSION_GRID) throw badInput(`grid must be an integer in [2, ${MAX_OCCLUSION_GRID}], got ${grid}`);
    await this.quotas.consumePredictions(actor.tenantId, grid * grid + 1);
    const classIndex = label == null ? undefined : classes.indexOf(label);
    if (classIndex === -1) throw badInput(`label '${String(label).slice(0, 100)}' is not a class of the model; classes are ${classes.slice(0, 50).join(', ')}`);
    const pixels = await this.pixels(actor, input, image, 'image', () => 'image'); // explainImage's argument is `image`
    const map = await served.explainImage(pixels, grid, classIndex);
    if (!classes[map.classIndex]) throw new AppError('INTERNAL_SERVER_ERROR', 'The explained class is not a class of the model');
    return {
      modelName,
      version: ref.version,
      modelVersionId: ref.id,
      label: classes[map.classIndex]!,
      probability: map.probability,
      attributions: map.attributions,
      cellHeight: map.cellHeight,
      cellWidth: map.cellWidth,
    };
  }
}
