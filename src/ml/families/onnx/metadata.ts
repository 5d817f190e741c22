/**
 * The uploader's metadata for an ONNX version (description, class labels, image preprocessing),
 * checked against the model's declared tensors and completed with defaults into the version's
 * {@link OnnxServing}.
 */
import { badInput } from '../../../lib/errors';
import type { OnnxImagePreprocessing, OnnxServing } from './serving-info';
import type { OnnxSpecs, OnnxTensorSpec } from './specs';
import { MAX_LABEL_LENGTH } from '../../target';

/** Longest description, characters. */
export const MAX_DESCRIPTION = 4000;
/** Most class labels. */
export const MAX_LABELS = 100_000;
/**
 * Characters of all labels together: they are read each time the version loads (review 4). ImageNet's
 * 1,000 synset names are ~30 kB; 21,843 classes of ~30 characters fit. */
export const MAX_LABEL_CHARS = 1_000_000;
/** Longest label, characters: the bound of a trained model's class labels too. */
export { MAX_LABEL_LENGTH };

/** Image preprocessing as the uploader gives it (absent fields: defaults or the input's shape). */
export interface ImagePreprocessingInput {
  /** (Default: the model's only input; required when it has several.) */
  input?: string | null;
  /** (Default: NCHW when the input's dimension 1 is 1 or 3, else NHWC) */
  layout?: 'NCHW' | 'NHWC' | null;
  /** (Default: null, resize straight to the input's height × width) */
  resizeShortSide?: number | null;
  /** (Default: 1/255) */
  scale?: number | null;
  /** One value per channel, or one for all. (Default: 0) */
  mean?: number[] | null;
  /** One value per channel, or one for all, each > 0. (Default: 1) */
  std?: number[] | null;
}

export interface OnnxMetadata {
  description?: string | null;
  labels?: string[] | null;
  /** (Default: the first served output whose last dimension equals the number of labels) */
  labelsOutput?: string | null;
  softmax?: boolean | null;
  image?: ImagePreprocessingInput | null;
}

/** MAX_IMAGE_PIXELS's default (src/config.ts): 512 × 512. */
export const DEFAULT_MAX_IMAGE_PIXELS = 512 * 512;

const field = (name: string, message: string) => badInput(`metadata.${name} ${message}`, { field: `metadata.${name}` });
const q = (v: unknown) => `'${String(v).slice(0, 100)}'`;

function perChannel(name: string, values: number[] | null | undefined, channels: number, fallback: number, positive: boolean): number[] {
  if (values == null) return Array<number>(channels).fill(fallback);
  if (values.length !== 1 && values.length !== channels) throw field(name, `has ${values.length} values; give 1 or one per channel (${channels})`);
  for (const v of values) if (!Number.isFinite(v) || (positive && v <= 0)) throw field(name, `holds ${v}; ${positive ? 'values must be finite and > 0' : 'values must be finite'}`);
  return values.length === 1 ? Array<number>(channels).fill(values[0]!) : [...values];
}

/**
 * @param maxPixels largest input height × width (MAX_IMAGE_PIXELS): predictImage resizes every
 *   image to it on the API thread, so an [1,1,8000,8000] input would stall everyone's requests.
 * @throws AppError BAD_USER_INPUT naming the metadata.image field.
 */
function imageRecipe(specs: OnnxSpecs, input: ImagePreprocessingInput, maxPixels: number): OnnxImagePreprocessing {
  let spec: OnnxTensorSpec | undefined;
  if (input.input != null) {
    spec = specs.inputs.find((s) => s.name === input.input);
    if (!spec) throw field('image.input', `${q(input.input)} is not an input of the model; its inputs are ${specs.inputs.map((s) => s.name).join(', ')}`);
  } else if (specs.inputs.length === 1) spec = specs.inputs[0];
  else throw field('image.input', `is required: the model has ${specs.inputs.length} inputs (${specs.inputs.map((s) => s.name).join(', ')})`);
  const s = spec!;
  if (s.datatype !== 'FP32' || s.shape.length !== 4)
    throw field('image.input', `${q(s.name)} is ${s.datatype} ${JSON.stringify(s.shape)}; image preprocessing feeds an FP32 input of 4 dimensions`);
  const layout = input.layout ?? (s.shape[1] === 1 || s.shape[1] === 3 ? 'NCHW' : 'NHWC');
  const [c, h, w] = layout === 'NCHW' ? [s.shape[1]!, s.shape[2]!, s.shape[3]!] : [s.shape[3]!, s.shape[1]!, s.shape[2]!];
  if (c !== 1 && c !== 3) throw field('image.layout', `${layout} reads ${c} channels from ${q(s.name)} ${JSON.stringify(s.shape)}; images have 1 or 3`);
  if (h < 1 || w < 1) throw field('image.input', `${q(s.name)} has a dynamic height or width ${JSON.stringify(s.shape)}; image preprocessing needs a fixed size`);
  if (h * w > maxPixels)
    throw field(
      'image.input',
      `${q(s.name)} takes ${h} × ${w} = ${h * w} pixels per image; image preprocessing serves at most ${maxPixels} (MAX_IMAGE_PIXELS): send tensors (infer)`,
    );
  const resize = input.resizeShortSide ?? null;
  if (resize !== null && (!Number.isInteger(resize) || resize < Math.max(h, w) || resize > 8192))
    throw field('image.resizeShortSide', `is ${resize}; it must be an integer from the crop size ${Math.max(h, w)} to 8192`);
  const scale = input.scale ?? 1 / 255;
  if (!Number.isFinite(scale) || scale === 0) throw field('image.scale', `is ${scale}; it must be a finite non-zero number`);
  return {
    input: s.name,
    layout,
    height: h,
    width: w,
    channels: c as 1 | 3,
    resizeShortSide: resize,
    scale,
    mean: perChannel('image.mean', input.mean, c, 0, false),
    std: perChannel('image.std', input.std, c, 1, true),
  };
}

/**
 * @param specs the model's declared tensors (./inspect.ts).
 * @param file the upload's hex SHA-256 and size in bytes.
 * @param maxImagePixels largest image input height × width (MAX_IMAGE_PIXELS). (Default: 262,144)
 * @throws AppError BAD_USER_INPUT naming the metadata field: a description or label too long, labels
 *   that match no output, an image input that is not FP32 rank 4 or holds more than maxImagePixels
 *   pixels, mean/std of the wrong length.
 */
export function servingInfo(
  specs: OnnxSpecs,
  file: { sha256: string; sizeBytes: number },
  metadata: OnnxMetadata | null | undefined,
  maxImagePixels = DEFAULT_MAX_IMAGE_PIXELS,
): OnnxServing {
  const m = metadata ?? {};
  const description = m.description ?? null;
  if (description !== null && description.length > MAX_DESCRIPTION) throw field('description', `has ${description.length} characters; at most ${MAX_DESCRIPTION}`);
  const labels = m.labels ?? null;
  let labelsOutput: string | null = null;
  if (labels) {
    if (labels.length === 0 || labels.length > MAX_LABELS) throw field('labels', `has ${labels.length} labels; give 1 to ${MAX_LABELS}`);
    const long = labels.findIndex((l) => l.length > MAX_LABEL_LENGTH);
    if (long >= 0) throw field(`labels[${long}]`, `has ${labels[long]!.length} characters; at most ${MAX_LABEL_LENGTH}`);
    const chars = labels.reduce((n, l) => n + l.length, 0);
    if (chars > MAX_LABEL_CHARS) throw field('labels', `has ${chars} characters in all; at most ${MAX_LABEL_CHARS}`);
    const out = m.labelsOutput != null ? specs.outputs.find((o) => o.name === m.labelsOutput) : specs.outputs.find((o) => o.shape.at(-1) === labels.length);
    if (m.labelsOutput != null && !out) throw field('labelsOutput', `${q(m.labelsOutput)} is not a served output; outputs are ${specs.outputs.map((o) => o.name).join(', ')}`);
    if (!out)
      throw field(
        'labels',
        `has ${labels.length} labels but no output has ${labels.length} scores in its last dimension (${specs.outputs.map((o) => `${o.name} ${JSON.stringify(o.shape)}`).join(', ')}); set metadata.labelsOutput`,
      );
    const last = out.shape.at(-1);
    if (last !== -1 && last !== labels.length) throw field('labels', `has ${labels.length} labels; output ${q(out.name)} has ${last} scores`);
    labelsOutput = out.name;
  } else if (m.labelsOutput != null) throw field('labelsOutput', 'is set without metadata.labels');
  return {
    format: 'onnx/1',
    sha256: file.sha256,
    sizeBytes: file.sizeBytes,
    inputs: specs.inputs,
    outputs: specs.outputs,
    notServed: specs.notServed,
    description,
    labels,
    labelsOutput,
    softmax: m.softmax ?? false,
    image: m.image ? imageRecipe(specs, m.image, maxImagePixels) : null,
  };
}
