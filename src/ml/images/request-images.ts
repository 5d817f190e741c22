/**
 * The CPU work of a serving call's PNG/JPEG images, as pure functions of bytes: run on a data thread
 * (src/ml/data/csv-tasks.ts `decodeRequestImages`, `onnxImageInput`) or, for a call of few pixels,
 * inline (src/modules/serving/image-decoder.ts decides). Either way the same code, so the pixels
 * are the same.
 */
import { imageTensor } from '../families/onnx/image-input';
import type { OnnxImagePreprocessing } from '../families/onnx/serving-info';
import { decodeImage, toChannels } from './decode';
import { checkImageShape, type ImageInput } from './normalize';

/**
 * Decodes files of the model's size into one buffer (a CNN's predictImage / explainImage).
 * @param images PNG/JPEG files, their headers already checked (image-decoder.ts `read`).
 * @param fields each image's name in messages (`images[2]`, `image`).
 * @returns `[images, height, width, channels]` uint8 pixels, row-major.
 * @throws AppError BAD_USER_INPUT naming the image: truncated or corrupt, another size than the model's.
 */
export function decodeToShape(images: Uint8Array[], fields: string[], image: ImageInput): Uint8Array {
  const size = image.height * image.width * image.channels;
  const pixels = new Uint8Array(images.length * size);
  images.forEach((bytes, i) => {
    const decoded = decodeImage(bytes, fields[i]!, image.height * image.width);
    checkImageShape(fields[i]!, decoded.height, decoded.width, image.channels, image);
    pixels.set(toChannels(decoded, image.channels as 1 | 3).data, i * size);
  });
  return pixels;
}

/**
 * Decodes one file and brings it to an ONNX image model's input by the version's recipe (resize,
 * centre crop, scale, mean/std, layout: ../families/onnx/image-input.ts).
 * @param maxPixels largest width × height decoded (its header's size, so what is decoded is what
 *   was counted against the call's pixels).
 * @returns `[1, c, h, w]` or `[1, h, w, c]` float32 and its shape.
 * @throws AppError BAD_USER_INPUT naming `field`: truncated, corrupt, more than `maxPixels` pixels.
 */
export function onnxImageTensor(bytes: Uint8Array, field: string, maxPixels: number, recipe: OnnxImagePreprocessing): { data: Float32Array; shape: number[] } {
  return imageTensor(decodeImage(bytes, field, maxPixels), recipe);
}
