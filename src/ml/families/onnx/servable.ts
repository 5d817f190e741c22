/**
 * Whether an ONNX model's declared inputs can ever be served, checked at upload so a model that
 * every call would fail on is refused before it is stored, and runtime messages made fit for
 * clients (no internal source paths).
 */
import { AppError } from '../../../lib/errors';
import type { OnnxTensorSpec } from './specs';

/** Most inputs: the V2 request's cap on input tensors (src/modules/serving/infer-request.ts MAX_INPUT_TENSORS). */
export const MAX_MODEL_INPUTS = 256;
/** Longest input name, characters: the V2 request's cap on a tensor name. */
export const MAX_INPUT_NAME = 256;
/**
 * Most outputs, served or not, and longest output name, characters: an output is named in every
 * answer and in the version's metadata (review 4: 2,000 outputs of 10,000-character names made every
 * V2 metadata and infer answer 20 MB). A call may ask for outputs by name, as it sends inputs.
 */
export const MAX_MODEL_OUTPUTS = 256;
export const MAX_OUTPUT_NAME = 256;
/** Largest declared dimension, and elements of a fixed-shape input: 2^31 − 1 (no call can send more). */
export const MAX_DIMENSION = 2 ** 31 - 1;

/**
 * Characters a request cannot carry in a name or onnxruntime refuses ("Invalid input name"):
 * C0 and C1 controls (NUL among them), DEL, and invisible or reordering format characters
 * (zero-width, bidirectional overrides and isolates).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

const invalid = (message: string, reason: string) => new AppError('INVALID_MODEL', message, { reason });
const shown = (name: string) => JSON.stringify(name.slice(0, 100));

/**
 * @param file the upload's name, quoted, for messages.
 * @param bytes the model file (to see that no reported name was cut short: {@link truncatedInputName}).
 * @throws AppError INVALID_MODEL with `details.reason` NO_INPUT (no input at all), TOO_MANY_INPUTS
 *   (more than {@link MAX_MODEL_INPUTS}), UNSUPPORTED_INPUT (an empty, too long or unprintable name,
 *   a dimension or fixed size over {@link MAX_DIMENSION}).
 */
export function checkServableInputs(inputs: readonly OnnxTensorSpec[], file: string, bytes: Uint8Array): void {
  if (inputs.length === 0) throw invalid(`File ${file} declares no input: a model that takes no tensors cannot be served (bake constants into a model that takes one)`, 'NO_INPUT');
  if (inputs.length > MAX_MODEL_INPUTS) throw invalid(`File ${file} declares ${inputs.length} inputs; a call can send at most ${MAX_MODEL_INPUTS}`, 'TOO_MANY_INPUTS');
  for (const s of inputs) {
    if (s.name.length === 0 || s.name.length > MAX_INPUT_NAME || UNPRINTABLE.test(s.name))
      throw invalid(`File ${file}: input ${shown(s.name)} has a name no call can send: names are 1 to ${MAX_INPUT_NAME} printable characters`, 'UNSUPPORTED_INPUT');
    if (truncatedInputName([s], bytes) !== undefined)
      throw invalid(`File ${file}: input ${shown(s.name)} has a name no call can send: it holds a NUL character`, 'UNSUPPORTED_INPUT');
    const big = s.shape.find((d) => d > MAX_DIMENSION);
    if (big !== undefined) throw invalid(`File ${file}: input ${shown(s.name)} declares a dimension of ${big}; at most ${MAX_DIMENSION}`, 'UNSUPPORTED_INPUT');
    const elements = s.shape.reduce((n, d) => n * Math.max(d, 1), 1);
    if (elements > MAX_DIMENSION)
      throw invalid(`File ${file}: input ${shown(s.name)} of shape [${s.shape.join(', ')}] takes ${elements} elements per call; at most ${MAX_DIMENSION}`, 'UNSUPPORTED_INPUT');
  }
}

/**
 * @param file the upload's name, quoted, for messages.
 * @throws AppError INVALID_MODEL with `details.reason` TOO_MANY_OUTPUTS (more than
 *   {@link MAX_MODEL_OUTPUTS}, served or not) or UNSUPPORTED_OUTPUT (a name that is empty, longer
 *   than {@link MAX_OUTPUT_NAME} or unprintable).
 */
export function checkServableOutputs(outputs: readonly { name: string }[], file: string): void {
  if (outputs.length > MAX_MODEL_OUTPUTS) throw invalid(`File ${file} declares ${outputs.length} outputs; at most ${MAX_MODEL_OUTPUTS} are served`, 'TOO_MANY_OUTPUTS');
  for (const o of outputs) {
    if (o.name.length === 0 || o.name.length > MAX_OUTPUT_NAME || UNPRINTABLE.test(o.name))
      throw invalid(
        `File ${file}: output ${shown(o.name)} (${o.name.length} characters) has a name no answer can carry: names are 1 to ${MAX_OUTPUT_NAME} printable characters`,
        'UNSUPPORTED_OUTPUT',
      );
  }
}

/**
 * onnxruntime's message with the paths of its own source files (`/onnxruntime_src/…`, an absolute
 * build path such as `/home/runner/…/graph.cc:1234`) cut out: clients get what went wrong, not where.
 */
export function clientMessage(message: string): string {
  return message
    .replace(/(?:[A-Za-z]:)?(?:[/\\][\w.@+-]+)+\.(?:cc|cpp|h|hpp|c)(?::\d+)?(?:\s+[\w:~<>*&, ]+\([^)]*\)(?:\s*const)?)?\s*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether onnxruntime refused the model for computing nothing: a graph with no output (and no node)
 * leaves it no value at all ("OrtValue indexes should have been populated").
 */
export const saysNoOutput = (message: string): boolean => /OrtValue indexes should have been populated|MaxIdx\(\) > -1/.test(message);

/**
 * Whether every input name onnxruntime reports is the whole name the file declares: onnxruntime-node
 * cuts a name at a NUL character (`"../x\0"` is reported as `"../x"`, then refused at run time as
 * "Invalid input name"). A ValueInfoProto's name is field 1 (tag 0x0a, then the UTF-8 length): the
 * reported name must occur with its own length. Searched from the end (graph inputs follow the
 * weights in a serialised graph), so a whole scan happens only for a name that is not there.
 * @returns the first input name not found whole, or undefined.
 */
export function truncatedInputName(inputs: readonly OnnxTensorSpec[], bytes: Uint8Array): string | undefined {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const s of inputs) {
    const name = Buffer.from(s.name, 'utf8');
    const length: number[] = [];
    for (let n = name.length; ; n >>>= 7) {
      if (n <= 0x7f) {
        length.push(n);
        break;
      }
      length.push((n & 0x7f) | 0x80);
    }
    if (file.lastIndexOf(Buffer.concat([Buffer.from([0x0a, ...length]), name])) < 0) return s.name;
  }
  return undefined;
}
