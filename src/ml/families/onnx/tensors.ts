/**
 * Named tensors (../../tensor-io.ts) to and from onnxruntime tensors, checked against the model's
 * declared inputs first so a wrong request gets a coded error naming the input, not a runtime message.
 */
import { badInput } from '../../../lib/errors';
import { fromHalf, toHalf } from '../../half';
import type { NamedTensor, TensorDatatype } from '../../tensor-io';
import type { OrtModule, OrtTensor } from './runtime';
import { V2_TO_ORT, type NotServedOutput, type OnnxTensorSpec } from './specs';

const show = (shape: readonly number[]) => `[${shape.slice(0, 8).join(', ')}${shape.length > 8 ? ', …' : ''}]`;
const quoteName = (name: unknown) => `'${String(name).slice(0, 100)}'`;

/** Integer ranges of the integer datatypes (INT64/UINT64: exact up to 2^53 as JSON numbers). */
const INT_RANGE: Partial<Record<TensorDatatype, [number, number]>> = {
  INT8: [-128, 127],
  UINT8: [0, 255],
  INT16: [-32768, 32767],
  UINT16: [0, 65535],
  INT32: [-(2 ** 31), 2 ** 31 - 1],
  UINT32: [0, 2 ** 32 - 1],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
};

/**
 * Checks one input against its spec: datatype, rank, every fixed dimension, element count and each
 * element's kind (numbers for numeric types, integers in range, booleans for BOOL, strings for BYTES).
 * @throws AppError BAD_USER_INPUT naming the input, expected vs got.
 */
export function checkInput(input: NamedTensor, spec: OnnxTensorSpec): void {
  const name = quoteName(input.name);
  if (input.datatype !== spec.datatype)
    throw badInput(`Input ${name} has datatype ${String(input.datatype).slice(0, 20)}; the model expects ${spec.datatype}`, { input: input.name });
  const shape = input.shape;
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
    throw badInput(`Input ${name} has shape ${show(shape ?? [])}; dimensions must be non-negative integers`, { input: input.name });
  const fits = shape.length === spec.shape.length && spec.shape.every((d, i) => d === -1 || d === shape[i]);
  if (!fits) throw badInput(`Input ${name} has shape ${show(shape)}; the model expects ${show(spec.shape)} (-1: any size)`, { input: input.name });
  const count = shape.reduce((a, b) => a * b, 1);
  if (input.data?.length !== count) throw badInput(`Input ${name} has ${input.data?.length ?? 0} values; shape ${show(shape)} needs ${count}`, { input: input.name });
  const data = input.data as ArrayLike<unknown>;
  const range = INT_RANGE[spec.datatype];
  for (let i = 0; i < count; i++) {
    const v = data[i];
    const ok =
      spec.datatype === 'BYTES'
        ? typeof v === 'string'
        : spec.datatype === 'BOOL'
          ? typeof v === 'boolean' || v === 0 || v === 1
          : typeof v === 'number' && (range ? Number.isInteger(v) && v >= range[0] && v <= range[1] : !Number.isNaN(v));
    if (!ok) throw badInput(`Input ${name} value [${i}] is ${JSON.stringify(v)?.slice(0, 40)}; ${spec.datatype} needs ${describe(spec.datatype)}`, { input: input.name });
  }
}

function describe(datatype: TensorDatatype): string {
  if (datatype === 'BYTES') return 'strings';
  if (datatype === 'BOOL') return 'booleans';
  const range = INT_RANGE[datatype];
  return range ? `integers in [${range[0]}, ${range[1]}]` : 'numbers';
}

/** One checked input as an onnxruntime tensor. */
export function toOrtTensor(o: OrtModule, input: NamedTensor, spec: OnnxTensorSpec): OrtTensor {
  const type = V2_TO_ORT[spec.datatype];
  const data = input.data as ArrayLike<number | boolean | string>;
  const dims = input.shape;
  switch (spec.datatype) {
    case 'BYTES':
      return new o.Tensor('string', Array.from(data as ArrayLike<string>), dims);
    case 'BOOL':
      return new o.Tensor('bool', Uint8Array.from(data as ArrayLike<number>, Number), dims);
    case 'INT64':
      return new o.Tensor(
        'int64',
        BigInt64Array.from(data as ArrayLike<number>, (v) => BigInt(v)),
        dims,
      );
    case 'UINT64':
      return new o.Tensor(
        'uint64',
        BigUint64Array.from(data as ArrayLike<number>, (v) => BigInt(v)),
        dims,
      );
    case 'FP16':
      return new o.Tensor('float16', Uint16Array.from(data as ArrayLike<number>, toHalf), dims);
    default: {
      const Typed = { FP32: Float32Array, FP64: Float64Array, INT8: Int8Array, UINT8: Uint8Array, INT16: Int16Array, UINT16: Uint16Array, INT32: Int32Array, UINT32: Uint32Array }[
        spec.datatype
      ];
      return new o.Tensor(type as 'float32', Typed.from(data as ArrayLike<number>) as Float32Array, dims);
    }
  }
}

/**
 * Checks the request's inputs against the model's (each declared input exactly once) and returns them by name.
 * @throws AppError BAD_USER_INPUT for an unknown, repeated or missing input, or one that does not fit.
 */
export function checkInputs(inputs: NamedTensor[], specs: OnnxTensorSpec[]): Map<string, { input: NamedTensor; spec: OnnxTensorSpec }> {
  if (!Array.isArray(inputs)) throw badInput('inputs must be a list of named tensors');
  const byName = new Map(specs.map((s) => [s.name, s]));
  const checked = new Map<string, { input: NamedTensor; spec: OnnxTensorSpec }>();
  const names = specs.map((s) => s.name).join(', ');
  for (const input of inputs) {
    const spec = byName.get(input?.name);
    if (!spec) throw badInput(`Input ${quoteName(input?.name)} is not an input of this model; its inputs are ${names}`, { input: String(input?.name).slice(0, 100) });
    if (checked.has(spec.name)) throw badInput(`Input ${quoteName(spec.name)} is given twice`, { input: spec.name });
    checkInput(input, spec);
    checked.set(spec.name, { input, spec });
  }
  const missing = specs.find((s) => !checked.has(s.name));
  if (missing) throw badInput(`Input ${quoteName(missing.name)} is missing: the model takes ${names}`, { input: missing.name });
  checkBatchSizes([...checked.values()]);
  return checked;
}

/**
 * Inputs whose first dimension is the dynamic batch (`-1` in the model) must agree on it: one
 * example per row of every input. Checked here so the client gets the names and sizes, not
 * onnxruntime's message from deep inside a kernel.
 * @throws AppError BAD_USER_INPUT naming each batched input and its size (first 10).
 */
function checkBatchSizes(checked: { input: NamedTensor; spec: OnnxTensorSpec }[]): void {
  const batched = checked.filter(({ spec }) => spec.batchDimension === 0 && spec.shape[0] === -1);
  if (new Set(batched.map(({ input }) => input.shape[0])).size <= 1) return;
  const sizes = batched.slice(0, 10).map(({ input, spec }) => `${quoteName(spec.name)} has ${input.shape[0]}`);
  throw badInput(`The inputs disagree on the batch size (the first dimension): ${sizes.join(', ')}; every batched input takes the same number of examples`, {
    field: 'inputs',
  });
}

/**
 * The outputs to fetch: `names` (each a served output) or every served output.
 * @throws AppError BAD_USER_INPUT for an unknown output, or a non-tensor one (with the export fix).
 */
export function outputsToFetch(names: string[] | undefined, outputs: OnnxTensorSpec[], notServed: NotServedOutput[]): OnnxTensorSpec[] {
  if (names === undefined || names === null) return outputs;
  if (!Array.isArray(names)) throw badInput('outputs must be a list of output names');
  return names.map((name) => {
    const spec = outputs.find((o) => o.name === name);
    if (spec) return spec;
    const unserved = notServed.find((o) => o.name === name);
    if (unserved) throw badInput(`Output ${quoteName(name)} is not served: ${unserved.reason}`, { output: name });
    throw badInput(`Output ${quoteName(name)} is not an output of this model; its outputs are ${outputs.map((o) => o.name).join(', ')}`, { output: String(name).slice(0, 100) });
  });
}

/**
 * An onnxruntime output as a named tensor whose data survives structured clone: FP32/FP64/INT32
 * as (copied) typed arrays, 64-bit integers as numbers, FP16 decoded to numbers, BOOL as booleans,
 * strings as strings.
 */
export function fromOrtTensor(name: string, spec: OnnxTensorSpec, t: OrtTensor): NamedTensor {
  const shape = t.dims.map(Number);
  const raw = t.data as unknown;
  let data: NamedTensor['data'];
  if (raw instanceof Float32Array || raw instanceof Float64Array || raw instanceof Int32Array) data = raw.slice();
  else if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) data = Array.from(raw, Number);
  else if (spec.datatype === 'FP16' && raw instanceof Uint16Array) data = Array.from(raw, fromHalf);
  else if (spec.datatype === 'BOOL') data = Array.from(raw as ArrayLike<number>, Boolean);
  else if (Array.isArray(raw)) data = (raw as unknown[]).map(String);
  else data = Array.from(raw as ArrayLike<number>);
  return { name, datatype: spec.datatype, shape, data };
}
