/**
 * Named tensors for a model that declares its own inputs and outputs (a family answering
 * `tensorSpecs` and `inferTensors`, src/ml/tensor-io.ts: uploaded ONNX models): the request checked
 * against the declaration before the model runs, and the answer made JSON-ready.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError, badInput, didYouMean, nameList, quote } from '../../lib/errors';
import { SLICE } from '../../lib/json-stream';
import type { EncodedJsonArray } from '../../lib/json-array-bytes';
import type { NamedTensor, NotServedSpec, TensorSpec } from '../../ml/tensor-io';
import { checkOutputNames } from './tabular-tensors';

/** A model version's inputs and outputs as V2 tensor specs. */
export interface TensorSpecs {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Declared outputs that cannot be returned (e.g. ZipMap), with the reason (the export fix). */
  notServed?: NotServedSpec[];
}

/** A tensor whose data is a plain array (JSON-ready), row-major. */
export type PlainTensor = NamedTensor & { data: number[] | boolean[] | string[] };

/**
 * An output ready for an answer: plain data, or — a large numeric output (answer-encoder.ts) — its
 * JSON already encoded, with the values beside it (`data.values`).
 */
export type AnswerTensor = PlainTensor | (Omit<NamedTensor, 'data'> & { data: EncodedJsonArray });

/** The output's values as an array (an encoded output's typed values). */
export const valuesOf = (t: AnswerTensor): ArrayLike<number | boolean | string> => (Array.isArray(t.data) ? t.data : (t.data as EncodedJsonArray).values);

const FLOAT_TYPES = new Set(['FP16', 'FP32', 'FP64']);

/**
 * Checks named tensors against a model's declared inputs and outputs.
 * @returns the rows: the batch dimension (the first input's first dimension when the model's is
 *   dynamic, else 1).
 * @throws AppError BAD_USER_INPUT for an unknown or missing input, another datatype or rank, a fixed
 *   dimension of another size, an unknown output, an output the model cannot serve (with the reason).
 */
export function checkAgainstSpecs(inputs: NamedTensor[], wanted: string[] | undefined, specs: TensorSpecs): number {
  const names = specs.inputs.map((s) => s.name);
  let rows = 1;
  inputs.forEach((t, i) => {
    const spec = specs.inputs.find((s) => s.name === t.name);
    if (!spec)
      throw badInput(`inputs[${i}] names ${quote(t.name)}, which is no input of the model${didYouMean(t.name, names)}; its inputs are ${nameList(names)}`, {
        field: `inputs[${i}].name`,
      });
    if (spec.datatype !== t.datatype) throw badInput(`inputs[${i}] (${quote(t.name)}) is ${t.datatype}; the model takes ${spec.datatype}`, { field: `inputs[${i}].datatype` });
    const wrongDim = spec.shape.findIndex((d, k) => d >= 0 && t.shape[k] !== d);
    if (t.shape.length !== spec.shape.length || wrongDim >= 0) {
      throw badInput(`inputs[${i}] (${quote(t.name)}) has shape [${t.shape.join(', ')}]; the model takes [${spec.shape.join(', ')}] (-1: any size)`, {
        field: `inputs[${i}].shape`,
      });
    }
    if (i === 0 && spec.shape[0] === -1) rows = t.shape[0]!;
  });
  const missing = names.find((n) => !inputs.some((t) => t.name === n));
  if (missing) throw badInput(`inputs lacks the model's input ${quote(missing)}; its inputs are ${names.join(', ')}`, { field: 'inputs' });
  for (const [i, name] of (wanted ?? []).entries()) {
    const unserved = specs.notServed?.find((o) => o.name === name);
    if (unserved) throw badInput(`outputs[${i}]: output ${quote(name)} is not served: ${unserved.reason}`, { field: `outputs[${i}].name` });
  }
  checkOutputNames(specs.outputs, wanted);
  return rows;
}

/**
 * Numeric input tensors with their data as Float64Arrays (the same values; BYTES and BOOL as they
 * are): a typed array crosses to the scoring thread and the ONNX host as one copy of its bytes,
 * where a plain array (super-resolution's 50,176 numbers) is serialised value by value on the event
 * loop that serves every tenant (issue 10). The host converts to the declared type either way.
 */
export function packedInputs(inputs: NamedTensor[]): NamedTensor[] {
  return inputs.map((t) => (t.datatype === 'BYTES' || t.datatype === 'BOOL' || !Array.isArray(t.data) ? t : { ...t, data: Float64Array.from(t.data as number[]) }));
}

/** The refusal of a non-finite output value (JSON has neither NaN nor Infinity): NON_FINITE_OUTPUT naming the output and the index. */
export const nonFiniteOutput = (name: string, value: string, index: number) =>
  new AppError('NON_FINITE_OUTPUT', `The model's output ${quote(name)} holds ${value} at index ${index}, not a finite number; no answer is given`);

/**
 * A model's output tensor with plain-array data; NaN or ±Infinity is refused (JSON has neither).
 * One indexed loop (not `Array.from`, whose iterator protocol on a typed array of super-resolution's
 * 451,584 floats held the event loop for hundreds of milliseconds), {@link SLICE} elements per
 * event-loop turn, so a large output does not hold other tenants' requests while it is copied.
 * @throws AppError NON_FINITE_OUTPUT naming the output and the index.
 */
export async function plainTensor(t: NamedTensor): Promise<PlainTensor> {
  const source = t.data as ArrayLike<number | boolean | string>;
  const n = source.length;
  const data = new Array<number | boolean | string>(n);
  const float = FLOAT_TYPES.has(t.datatype);
  for (let from = 0; from < n; from += SLICE) {
    if (from > 0) await nextTurn();
    const to = Math.min(n, from + SLICE);
    for (let i = from; i < to; i++) {
      const v = source[i]!;
      if (float && !Number.isFinite(v)) throw nonFiniteOutput(t.name, String(v), i);
      data[i] = v;
    }
  }
  return { name: t.name, datatype: t.datatype, shape: [...t.shape], data: data as number[] | boolean[] | string[] };
}
