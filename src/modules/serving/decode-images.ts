/**
 * Request images → bytes and pixels on the API side (so what reaches a model, on this thread or a
 * serving thread, is a plain Uint8Array): base64 text to the PNG/JPEG file's bytes (decoded by
 * ./image-decoder.ts), or a tensor of 0-255 numbers checked against the model's shape.
 */
import { badInput, notFiniteMessage } from '../../lib/errors';
import { checkImageShape, type ImageInput } from '../../ml/images/normalize';

/** A tensor of pixels as a caller sends it: shape `[count, h, w, c]` and row-major values 0-255. */
export interface PixelTensor {
  shape: number[];
  values: number[];
}

const NOT_BASE64 = /[^A-Za-z0-9+/=]/;

/**
 * Whether `body` is the base64 alphabet followed by at most two `=`. Two linear scans: the anchored
 * `^[A-Za-z0-9+/]*={0,2}$` took ~47 ms of the event loop on 9.4 MB of text, this ~5 ms.
 */
function isBase64(body: string): boolean {
  if (NOT_BASE64.test(body)) return false;
  const pad = body.indexOf('=');
  return pad === -1 || pad === body.length - 1 || (pad === body.length - 2 && body[pad + 1] === '=');
}

/**
 * Strips a `data:image/png;base64,` prefix and whitespace; checks the alphabet.
 * @returns the bytes, in an ArrayBuffer of their own unless small (Buffer's pool; see `movable`).
 */
export function base64Bytes(text: string, field: string): Uint8Array {
  const body = text.replace(/^data:image\/[a-z+.-]+;base64,/i, '').replace(/\s+/g, '');
  if (body.length === 0 || body.length % 4 === 1 || !isBase64(body)) throw badInput(`${field} is not base64 text (a PNG or JPEG file encoded as base64)`, { field });
  const bytes = Buffer.from(body, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A tensor of pixel values → uint8 pixels of the model's shape (predictImage's `tensor`, an image
 * model's V2 input). PNG/JPEG files go through ./image-decoder.ts instead.
 * @returns `[count, h, w, c]` uint8 pixels in the model's shape.
 * @throws AppError BAD_USER_INPUT naming `tensor`: a shape or values that do not fit.
 */
export function tensorPixels(tensor: PixelTensor, image: ImageInput): { pixels: Uint8Array; count: number } {
  const size = image.height * image.width * image.channels;
  const { shape, values } = tensor;
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
