/**
 * predictImage for uploaded ONNX image models: each base64 PNG/JPEG decoded on a data thread
 * (./image-decoder.ts; headers and the call's pixels checked here first), brought to the model's
 * input by the version's recipe (resize, centre crop, scale, mean/std, layout:
 * src/ml/families/onnx/image-input.ts) there too, and scored through the family's named-tensor method where the
 * version scores (a scoring thread); the labelled output (softmax when the metadata says it holds
 * logits) gives each image's top-k labels.
 */
import { AppError, badInput } from '../../lib/errors';
import type { OnnxServing } from '../../ml/families/onnx/serving-info';
import { INFER_TENSORS_METHOD, type NamedTensor } from '../../ml/tensor-io';
import type { ImageDecoder } from './image-decoder';
import type { ImagePrediction } from './image-predict.type';
import type { ServedModel } from './served-model';

/**
 * Softmax of `x` (max subtracted first, so large logits do not overflow). Loops, not
 * `Math.max(...x)`: spreading a 2,000,000-wide output as arguments overflows the call stack.
 */
export function softmax(x: number[]): number[] {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i]! > max) max = x[i]!;
  const out = new Array<number>(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    out[i] = Math.exp(x[i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < x.length; i++) out[i] = out[i]! / sum;
  return out;
}

/**
 * @param images base64 PNG/JPEG files (a data: URL prefix accepted).
 * @param topK labels per image (1 to the number of classes).
 * @param maxPixels largest width × height decoded.
 * @param decoding where the images are decoded, for which tenant.
 * @returns the classes (the version's labels, else output indices) and one prediction per image.
 * @throws AppError BAD_USER_INPUT for a version without image preprocessing or labelled output, an
 *   image input of more than maxPixels pixels,
 *   an image that is not base64 PNG/JPEG, more pixels in all than MAX_IMAGE_PIXELS_PER_CALL, topK out
 *   of range; QUOTA_EXCEEDED when the data threads are full; NON_FINITE_OUTPUT when a score is NaN
 *   or infinite; as the model's inference.
 */
export async function predictOnnxImages(
  served: ServedModel,
  info: OnnxServing,
  images: string[],
  topK: number,
  maxPixels: number,
  decoding: { decoder: ImageDecoder; tenantId: string },
): Promise<{ classes: string[]; predictions: ImagePrediction[] }> {
  const recipe = info.image;
  if (!recipe) throw badInput('This ONNX model version has no image preprocessing: upload it with metadata.image, or send tensors (infer)');
  // Versions stored before uploads were bounded (metadata.ts) may take more pixels than any image decoded here.
  if (recipe.height * recipe.width > maxPixels)
    throw badInput(`This ONNX model's image input takes ${recipe.height} × ${recipe.width} pixels; predictImage serves at most ${maxPixels}: send tensors (infer)`);
  if (info.inputs.length !== 1) throw badInput(`This ONNX model takes ${info.inputs.length} inputs; predictImage feeds one image input: send tensors (infer)`);
  const outputName = info.labelsOutput ?? (info.outputs.length === 1 ? info.outputs[0]!.name : undefined);
  if (!outputName)
    throw badInput(`This ONNX model has ${info.outputs.length} outputs and no labelled one: upload it with metadata.labels (and labelsOutput), or send tensors (infer)`);
  const read = decoding.decoder.read(images, 'images', (i) => `images[${i}]`, maxPixels);
  const predictions: ImagePrediction[] = [];
  let classes: string[] = info.labels ?? [];
  for (let i = 0; i < images.length; i++) {
    const field = `images[${i}]`;
    const x = await decoding.decoder.onnxInput(decoding.tenantId, read, i, recipe);
    const input: NamedTensor = { name: recipe.input, datatype: 'FP32', shape: x.shape, data: x.data };
    const [out] = (await served.query(INFER_TENSORS_METHOD, [[input], [outputName]])) as NamedTensor[];
    const scores = Array.from(out!.data as ArrayLike<number>, Number);
    const bad = scores.find((v) => !Number.isFinite(v));
    if (bad !== undefined) throw new AppError('NON_FINITE_OUTPUT', `The model's output '${outputName}' for ${field} holds ${bad}, not a finite number; no prediction is given`);
    const probabilities = info.softmax ? softmax(scores) : scores;
    if (!info.labels) classes = probabilities.map((_, c) => String(c));
    if (classes.length !== probabilities.length)
      throw badInput(`Output '${outputName}' gave ${probabilities.length} scores for one image; the version has ${classes.length} labels`);
    if (!Number.isInteger(topK) || topK < 1 || topK > classes.length) throw badInput(`topK must be an integer in [1, ${classes.length}], got ${topK}`);
    const top = probabilities
      .map((p, c) => [p, c] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, topK)
      .map(([probability, c]) => ({ label: classes[c]!, probability }));
    predictions.push({ label: top[0]!.label, probability: top[0]!.probability, top, probabilities });
  }
  return { classes, predictions };
}
