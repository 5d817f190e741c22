/**
 * The `parameters` of a V2 inference request that this server acts on (the Open Inference
 * Protocol leaves `parameters` free-form; these are Triton's extensions, which KServe V2 clients use):
 *
 * - request `parameters.binary_data_output` (boolean): every output in binary (binary-tensors.ts);
 * - `outputs[i].parameters.binary_data` (boolean): this output in binary (overrides the request's);
 * - `outputs[i].parameters.classification` (integer ≥ 1): the output's top k classes instead of
 *   its scores, Triton's classification extension (below);
 * - `outputs[i].parameters.datatype` (`"FP16"`, ours): a binary FP32 or FP64 output sent as FP16,
 *   half the bytes of FP32 (each value rounded to the nearest half, ties to even: src/ml/half.ts;
 *   past ±65504 it is ±Infinity). JSON has no FP16 form beyond plain numbers, so it is asked with
 *   `binary_data` (or `binary_data_output`); an FP16 output of a model goes in binary as FP16 anyway;
 * - `inputs[i].parameters.binary_data_size` (byte count): the input's bytes follow the JSON header
 *   (a binary request only, read by binary-tensors.ts).
 *
 * Any other name is accepted and ignored, as the protocol allows. A known name with a value of the
 * wrong type is BAD_USER_INPUT naming it (`outputs[0].parameters.classification`).
 */
import { badInput, quote } from '../../lib/errors';
import { valuesOf, type AnswerTensor, type PlainTensor } from './named-tensors';

/** What a caller asked of one output. */
export interface OutputOptions {
  /** Top-k classes (Triton's classification extension); undefined: the output itself. */
  classification?: number;
  /** Send it in binary (the binary data extension). */
  binary: boolean;
  /** Send a float output as FP16 (binary only). */
  datatype?: 'FP16';
}

/** The request's parameters this server acts on. */
export interface InferParameters {
  /** Options per output name asked for. */
  outputs: Map<string, OutputOptions>;
  /** Outputs not listed with their own `binary_data` go in binary (`binary_data_output`). */
  binaryDefault: boolean;
}

/** A parameter that must be a boolean, or absent. @throws AppError BAD_USER_INPUT naming it. */
function flag(parameters: Record<string, unknown> | null | undefined, name: string, field: string): boolean | undefined {
  const v = parameters?.[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw badInput(`${field}.${name} must be true or false, got ${quote(v)} (${typeof v})`, { field: `${field}.${name}` });
  return v;
}

/**
 * Reads the parameters this server acts on.
 * @param outputs the requested outputs with their parameters (`outputs` of the request).
 * @param binaryBody whether the request came with the binary data extension (only then may inputs
 *   carry `binary_data_size`).
 * @throws AppError BAD_USER_INPUT naming the parameter: a non-boolean `binary_data_output` or
 *   `binary_data`, a `classification` that is not an integer ≥ 1, a `datatype` other than 'FP16'
 *   or on an output not sent in binary, `binary_data_size` on an input of a JSON request.
 */
export function readInferParameters(
  request: Record<string, unknown> | null | undefined,
  outputs: { name: string; parameters?: Record<string, unknown> | null }[],
  inputs: { parameters?: Record<string, unknown> | null }[],
  binaryBody: boolean,
): InferParameters {
  const binaryDefault = flag(request, 'binary_data_output', 'parameters') ?? false;
  if (!binaryBody) {
    const i = inputs.findIndex((t) => t.parameters?.binary_data_size !== undefined);
    if (i >= 0) {
      throw badInput(
        `inputs[${i}].parameters.binary_data_size is only read in a binary request (header Inference-Header-Content-Length); send data as JSON, or the bytes after the JSON header`,
        {
          field: `inputs[${i}].parameters.binary_data_size`,
        },
      );
    }
  }
  const options = new Map<string, OutputOptions>();
  outputs.forEach((o, i) => {
    const field = `outputs[${i}].parameters`;
    const k = o.parameters?.classification;
    if (k !== undefined && !(typeof k === 'number' && Number.isSafeInteger(k) && k >= 1)) {
      throw badInput(`${field}.classification must be the number of classes to return (an integer ≥ 1), got ${quote(k)} (${typeof k})`, { field: `${field}.classification` });
    }
    const binary = flag(o.parameters, 'binary_data', field) ?? binaryDefault;
    const datatype = o.parameters?.datatype;
    if (datatype !== undefined) {
      if (datatype !== 'FP16') {
        throw badInput(`${field}.datatype must be 'FP16' (the one conversion offered: a float output sent as half floats), got ${quote(datatype)} (${typeof datatype})`, {
          field: `${field}.datatype`,
        });
      }
      if (!binary) {
        throw badInput(`${field}.datatype 'FP16' applies to a binary output: add "binary_data": true to outputs[${i}].parameters (JSON carries no FP16 form)`, {
          field: `${field}.datatype`,
        });
      }
    }
    options.set(o.name, { binary, ...(k !== undefined ? { classification: k as number } : {}), ...(datatype === 'FP16' ? { datatype } : {}) });
  });
  return { outputs: options, binaryDefault };
}

/** Whether `name` goes out in binary. */
export function wantsBinary(p: InferParameters, name: string): boolean {
  return p.outputs.get(name)?.binary ?? p.binaryDefault;
}

/**
 * Triton's classification extension: an output `[batch, ...classes]` (or `[classes]`) becomes a
 * BYTES tensor `[batch, k]` (`[k]`) of its k highest values, highest first, each `"value:index"`,
 * or `"value:index:label"` when the output has labels. The values are the output's own (scores,
 * probabilities or logits: no softmax); k past the number of classes gives every class, as Triton does.
 * @param labels the class labels by index, when the output has them.
 * @throws AppError BAD_USER_INPUT naming `outputs[i].parameters.classification` for an output that holds no numbers.
 */
export function classify(t: AnswerTensor, k: number, labels: readonly string[] | null | undefined, field: string): PlainTensor {
  if (t.datatype === 'BYTES' || t.datatype === 'BOOL') {
    throw badInput(`${field}: output ${quote(t.name)} is ${t.datatype}; classification takes an output of numbers (scores)`, { field });
  }
  const batched = t.shape.length >= 2;
  const rows = batched ? t.shape[0]! : 1;
  const data = valuesOf(t) as ArrayLike<number>;
  const classes = rows === 0 ? 0 : data.length / rows;
  const top = Math.min(k, classes);
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const order = Array.from({ length: classes }, (_, c) => c).sort((x, y) => data[r * classes + y]! - data[r * classes + x]! || x - y);
    for (const c of order.slice(0, top)) {
      const label = labels?.[c];
      out.push(`${data[r * classes + c]}:${c}${label !== undefined ? `:${label}` : ''}`);
    }
  }
  return { name: t.name, datatype: 'BYTES', shape: batched ? [rows, top] : [top], data: out };
}

/** Float outputs that may go out as FP16. */
const FLOATS = new Set(['FP16', 'FP32', 'FP64']);

/**
 * An output asked with `parameters.datatype` 'FP16': the same values, declared FP16, so the binary
 * answer carries them as half floats (binary-tensors.ts `encodeBinaryOutput` rounds them).
 * @throws AppError BAD_USER_INPUT naming `field` for an output that is not FP16, FP32 or FP64
 *   (integers, BOOL, BYTES, or a `classification` answer).
 */
export function asHalfFloats<T extends AnswerTensor>(t: T, field: string): T {
  if (!FLOATS.has(t.datatype)) {
    throw badInput(`${field}: output ${quote(t.name)} is ${t.datatype}; FP16 is offered for float outputs (FP32, FP64)`, { field });
  }
  return { ...t, datatype: 'FP16' };
}
