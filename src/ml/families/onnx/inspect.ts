/**
 * Opening an uploaded file once to validate it, before anything is stored: is it ONNX, complete,
 * made of operators this runtime implements, with inputs that can be fed? Then its declared inputs
 * and outputs (./specs.ts). Every refusal is INVALID_MODEL naming the problem.
 */
import { AppError } from '../../../lib/errors';
import { openSession } from './runtime';
import { checkServableInputs, checkServableOutputs, clientMessage, saysNoOutput } from './servable';
import { readSpecs, type OnnxSpecs, type ValueMetadata } from './specs';

const invalid = (message: string, reason: string) => new AppError('INVALID_MODEL', message, { reason });

const PNG = [0x89, 0x50, 0x4e, 0x47];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** Says what a file that onnxruntime cannot parse looks like instead (a PNG, a JPEG, a ZIP, text). */
function whatItIs(bytes: Uint8Array): string {
  if (startsWith(bytes, PNG)) return 'a PNG image';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'a JPEG image';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive (a PyTorch .pt or Keras file?)';
  if (startsWith(bytes, [0x89, 0x48, 0x44, 0x46])) return 'an HDF5 file (a Keras .h5?)';
  return 'not a complete ONNX model (truncated, or another format)';
}

/**
 * @param filename for messages.
 * @returns the model's inputs, outputs served and outputs not served (ZipMap, with the fix).
 * @throws AppError INVALID_MODEL (`details.reason`: EMPTY, NOT_ONNX — not ONNX or truncated —,
 *   UNSUPPORTED_OPERATOR, UNSUPPORTED_INPUT, NO_INPUT, TOO_MANY_INPUTS, NO_OUTPUT, LOAD_FAILED; runtime
 *   messages without their source paths: ./servable.ts); NOT_SUPPORTED when the runtime
 *   cannot load on this server.
 */
export async function inspectOnnx(bytes: Uint8Array, filename: string): Promise<OnnxSpecs> {
  const file = `'${filename.slice(0, 100)}'`;
  if (bytes.length === 0) throw invalid(`File ${file} is empty`, 'EMPTY');
  let session;
  try {
    session = await openSession(bytes);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const message = clientMessage(String((err as Error)?.message ?? err).slice(0, 2000)).slice(0, 300);
    if (saysNoOutput(message)) throw invalid(`File ${file} declares no output: a model must compute at least one tensor`, 'NO_OUTPUT');
    if (/protobuf parsing failed/i.test(message)) throw invalid(`File ${file} is ${whatItIs(bytes)}: onnxruntime could not parse it (${message})`, 'NOT_ONNX');
    if (/Could not find an implementation|No Op registered|not implemented|Unsupported|opset/i.test(message))
      throw invalid(`File ${file} uses an operator or opset this ONNX runtime does not support: ${message}`, 'UNSUPPORTED_OPERATOR');
    throw invalid(`File ${file} could not be loaded as an ONNX model: ${message}`, 'LOAD_FAILED');
  }
  try {
    const specs = readSpecs(session as unknown as { inputMetadata: ValueMetadata[]; outputMetadata: ValueMetadata[] });
    const bad = specs.badInputs[0];
    if (bad) throw invalid(`File ${file}: input '${bad.name}' cannot be fed by this server: ${bad.reason}`, 'UNSUPPORTED_INPUT');
    checkServableInputs(specs.inputs, file, bytes);
    checkServableOutputs([...specs.outputs, ...specs.notServed], file);
    if (specs.outputs.length === 0)
      throw invalid(`File ${file} has no tensor output this server can return: ${specs.notServed.map((o) => `'${o.name}': ${o.reason}`).join('; ')}`, 'NO_OUTPUT');
    return { inputs: specs.inputs, outputs: specs.outputs, notServed: specs.notServed };
  } finally {
    await session.release();
  }
}
