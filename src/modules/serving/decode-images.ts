/**
 * Request images → pixels of the version's input shape, on the API side (so what reaches a model,
 * on this thread or a serving thread, is a plain Uint8Array): base64 PNG/JPEG decoded and brought
 * to the model's channels, or a tensor of 0-255 numbers checked against the shape.
 */
import { badInput, notFiniteMessage } from '../../lib/errors';
import { decodeImage, imageSize, toChannels } from '../../ml/images/decode';
import { checkImageShape, type ImageInput } from '../../ml/images/normalize';

/** A tensor of pixels as a caller sends it: shape `[count, h, w, c]` and row-major values 0-255. */
export interface PixelTensor {
  shape: number[];
  values: number[];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strips a `data:image/png;base64,` prefix and whitespace; checks the alphabet. */
export function base64Bytes(text: string, field: string): Uint8Array {
  const body = text.replace(/^data:image\/[a-z+.-]+;base64,/i, '').replace(/\s+/g, '');
  if (body.length === 0 || body.length % 4 === 1 || !BASE64.test(body)) throw badInput(`${field} is not base64 text (a PNG or JPEG file encoded as base64)`, { field });
  return new Uint8Array(Buffer.from(body, 'base64'));
}

/**
 * @param fieldOf the argument's name for image `i` in messages. (Default: `images[i]`)
 * @returns `[count, h, w, c]` uint8 pixels in the model's shape.
 * @throws AppError BAD_USER_INPUT naming `images[i]` or `tensor`: not base64, not a PNG/JPEG,
 *   truncated or corrupt, another size than the model's; a tensor whose shape or values do not fit.
 */
export function requestPixels(
  input: { images?: string[] | null; tensor?: PixelTensor | null },
  image: ImageInput,
  fieldOf: (i: number) => string = (i) => `images[${i}]`,
): { pixels: Uint8Array; count: number } {
  const size = image.height * image.width * image.channels;
  if (input.images) {
    const pixels = new Uint8Array(input.images.length * size);
    input.images.forEach((text, i) => {
      const field = fieldOf(i);
      const bytes = base64Bytes(text, field);
      // The header's size first: a wrong size (or a decompression bomb) is refused before decoding;
      // a header without one (truncated) or with a zero side is decodeImage's to refuse as corrupt.
      const header = imageSize(bytes);
      if (header && header.width > 0 && header.height > 0) checkImageShape(field, header.height, header.width, image.channels, image);
      const decoded = decodeImage(bytes, field, image.height * image.width);
      checkImageShape(field, decoded.height, decoded.width, image.channels, image);
      pixels.set(toChannels(decoded, image.channels as 1 | 3).data, i * size);
    });
    return { pixels, count: input.images.length };
  }
  const { shape, values } = input.tensor!;
  if (shape.length !== 4) throw badInput(`tensor.shape must be [count, height, width, channels], got ${shape.length} numbers`, { field: 'tensor.shape' });
  checkImageShape('tensor', shape[1]!, shape[2]!, shape[3]!, image);
  const count = shape[0]!;
  if (!Number.isInteger(count) || count < 1) throw badInput(`tensor.shape[0] must be a positive image count, got ${count}`, { field: 'tensor.shape' });
  if (values.length !== count * size) throw badInput(`tensor.values has ${values.length} numbers; shape [${shape.join(', ')}] needs ${count * size}`, { field: 'tensor.values' });
  const pixels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw badInput(`${notFiniteMessage(`tensor.values[${i}]`, v)}; pixel values are 0-255`, { field: 'tensor.values' });
    if (v < 0 || v > 255) throw badInput(`tensor.values[${i}] is ${v}; pixel values are 0-255`, { field: 'tensor.values' });
    pixels[i] = Math.round(v);
  }
  return { pixels, count };
}
