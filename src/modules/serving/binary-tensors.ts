/**
 * Triton's binary tensor data extension, which KServe V2 clients speak
 * (https://github.com/triton-inference-server/server/blob/main/docs/protocol/extension_binary_data.md):
 * a request body is a JSON header of `Inference-Header-Content-Length` bytes followed by the raw
 * bytes of the inputs whose `parameters.binary_data_size` says how many, in the order of `inputs`;
 * an answer may carry outputs the same way. Tensor bytes are row-major, little-endian, each element
 * its datatype's width (BOOL one byte 0 or 1; FP16 IEEE binary16); a BYTES element is a 4-byte
 * little-endian length followed by that many bytes (UTF-8 text here: BYTES tensors are strings).
 *
 * Every refusal is BAD_USER_INPUT naming the input and `parameters.binary_data_size`.
 */
import { badInput, quote } from '../../lib/errors';
import { fromHalf, toHalf } from '../../ml/half';
import type { TensorDatatype } from '../../ml/tensor-io';
import { valuesOf, type AnswerTensor } from './named-tensors';

/** Bytes per element of each fixed-width datatype (BYTES is variable: 4 + the element's length). */
export const ELEMENT_BYTES: Record<Exclude<TensorDatatype, 'BYTES'>, number> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
};

// Tensor bytes are little-endian; typed arrays use the platform's order, which is little-endian on
// every platform Node ships for (x86, ARM). A big-endian one is refused at start rather than answered wrong.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('The binary tensor data extension needs a little-endian platform');

/** One input as the JSON header declares it. */
export interface BinaryInputHeader {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, unknown>;
  data?: unknown;
}

/** binary_data_size of an input, or undefined when its data is in the JSON. @throws BAD_USER_INPUT for a value that is no byte count. */
export function binaryDataSize(t: BinaryInputHeader, field: string): number | undefined {
  const size = t.parameters?.binary_data_size;
  if (size === undefined) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw badInput(`${field}.parameters.binary_data_size must be a byte count (a non-negative integer), got ${quote(size)} (${typeof size})`, {
      field: `${field}.parameters.binary_data_size`,
    });
  }
  return size;
}

/**
 * Reads one input's bytes as V2 JSON data would hold them (numbers, booleans, strings), to be
 * checked by checkTensor like JSON data (INT64 beyond ±2^53 is refused there: not exact as a number).
 * @param bytes exactly the input's `binary_data_size` bytes.
 * @throws AppError BAD_USER_INPUT when the byte count is not the shape × the element width, a BOOL
 *   byte is not 0 or 1, or BYTES elements do not fill the bytes exactly.
 */
export function decodeBinaryInput(t: BinaryInputHeader, bytes: Uint8Array, field: string): unknown[] {
  const elements = Array.isArray(t.shape) ? t.shape.reduce<number>((a, b) => a * (typeof b === 'number' ? b : NaN), 1) : NaN;
  const sizeField = `${field}.parameters.binary_data_size`;
  const datatype = t.datatype as TensorDatatype;
  if (datatype === 'BYTES') return decodeBytes(bytes, elements, t.name, sizeField);
  const width = ELEMENT_BYTES[datatype];
  if (width === undefined) throw badInput(`${field}.datatype ${quote(t.datatype)} is not a V2 datatype`, { field: `${field}.datatype` });
  if (!Number.isSafeInteger(elements) || bytes.length !== elements * width) {
    throw badInput(
      `${sizeField} is ${bytes.length} bytes, but tensor ${quote(t.name)} of shape [${String(t.shape)}] ${datatype} holds ${elements} elements × ${width} bytes = ${elements * width}`,
      { field: sizeField },
    );
  }
  // A copy at an aligned offset: the body's slice may start anywhere.
  const buf = new Uint8Array(bytes).buffer;
  switch (datatype) {
    case 'BOOL': {
      const out = new Array<boolean>(elements);
      for (let i = 0; i < elements; i++) {
        const b = bytes[i]!;
        if (b > 1) throw badInput(`${field} (tensor ${quote(t.name)}, BOOL) byte ${i} is ${b}; a BOOL element is one byte, 0 or 1`, { field: sizeField });
        out[i] = b === 1;
      }
      return out;
    }
    case 'UINT8':
      return Array.from(new Uint8Array(buf));
    case 'INT8':
      return Array.from(new Int8Array(buf));
    case 'UINT16':
      return Array.from(new Uint16Array(buf));
    case 'INT16':
      return Array.from(new Int16Array(buf));
    case 'FP16':
      return Array.from(new Uint16Array(buf), fromHalf);
    case 'UINT32':
      return Array.from(new Uint32Array(buf));
    case 'INT32':
      return Array.from(new Int32Array(buf));
    case 'FP32':
      return Array.from(new Float32Array(buf));
    case 'FP64':
      return Array.from(new Float64Array(buf));
    case 'UINT64':
      return Array.from(new BigUint64Array(buf), Number);
    case 'INT64':
      return Array.from(new BigInt64Array(buf), Number);
  }
}

/** BYTES elements: each a 4-byte little-endian length, then its bytes (read as UTF-8). */
function decodeBytes(bytes: Uint8Array, elements: number, name: string, sizeField: string): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 4 > bytes.length) throw badInput(`${sizeField}: tensor ${quote(name)} (BYTES) ends inside element ${out.length}'s 4-byte length`, { field: sizeField });
    const n = view.getUint32(at, true);
    if (at + 4 + n > bytes.length) {
      throw badInput(`${sizeField}: tensor ${quote(name)} (BYTES) element ${out.length} says ${n} bytes, but only ${bytes.length - at - 4} remain`, { field: sizeField });
    }
    try {
      out.push(decoder.decode(bytes.subarray(at + 4, at + 4 + n)));
    } catch {
      throw badInput(`${sizeField}: tensor ${quote(name)} (BYTES) element ${out.length} is not UTF-8 text`, { field: sizeField });
    }
    at += 4 + n;
    if (out.length > elements) break;
  }
  if (out.length !== elements) {
    throw badInput(`${sizeField}: tensor ${quote(name)} (BYTES) holds ${out.length} elements in its ${bytes.length} bytes; its shape holds ${elements}`, { field: sizeField });
  }
  return out;
}

/**
 * Splits a binary request: the inputs with `binary_data_size` take their bytes from `tail` in order.
 * @param inputs the JSON header's inputs (as sent; shapes and datatypes checked afterwards, by checkTensor).
 * @param tail the body after the JSON header.
 * @returns the inputs with their `data` filled in.
 * @throws AppError BAD_USER_INPUT when an input has both `data` and `binary_data_size`, the sizes
 *   add up to more bytes than were sent (a truncated body) or fewer (bytes left over), or one input's bytes do not fit its shape.
 */
export function readBinaryInputs<T extends BinaryInputHeader>(inputs: T[], tail: Uint8Array): T[] {
  let at = 0;
  const out = inputs.map((t, i) => {
    const field = `inputs[${i}]`;
    const size = binaryDataSize(t, field);
    if (size === undefined) return t;
    if (t.data !== undefined) throw badInput(`${field} (tensor ${quote(t.name)}) has both data and parameters.binary_data_size: send one`, { field: `${field}.data` });
    if (at + size > tail.length) {
      throw badInput(`${field}.parameters.binary_data_size is ${size} bytes, but the body holds only ${tail.length - at} more after the JSON header: the body is truncated`, {
        field: `${field}.parameters.binary_data_size`,
      });
    }
    const data = decodeBinaryInput(t, tail.subarray(at, at + size), field);
    at += size;
    return { ...t, data };
  });
  if (at !== tail.length) {
    throw badInput(`The body holds ${tail.length - at} bytes after the inputs' binary data (the binary_data_size values add up to ${at} of ${tail.length})`, { field: 'body' });
  }
  return out;
}

/** An output's data as the extension's bytes (FP16: each number rounded to the nearest half, ties to even; src/ml/half.ts). */
export function encodeBinaryOutput(t: AnswerTensor): Uint8Array {
  const d = valuesOf(t) as ArrayLike<number>;
  switch (t.datatype) {
    case 'BYTES': {
      const parts = Array.from(valuesOf(t) as string[], (s) => Buffer.from(String(s), 'utf8'));
      const out = Buffer.allocUnsafe(parts.reduce((n, p) => n + 4 + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.writeUInt32LE(p.length, at);
        p.copy(out, at + 4);
        at += 4 + p.length;
      }
      return out;
    }
    case 'BOOL':
      return Uint8Array.from(valuesOf(t) as boolean[], (b) => (b ? 1 : 0));
    case 'UINT8':
      return Uint8Array.from(d);
    case 'INT8':
      return new Uint8Array(Int8Array.from(d).buffer);
    case 'UINT16':
      return new Uint8Array(Uint16Array.from(d).buffer);
    case 'INT16':
      return new Uint8Array(Int16Array.from(d).buffer);
    case 'UINT32':
      return new Uint8Array(Uint32Array.from(d).buffer);
    case 'INT32':
      return new Uint8Array(Int32Array.from(d).buffer);
    case 'FP32':
      return new Uint8Array(Float32Array.from(d).buffer);
    case 'FP64':
      return new Uint8Array(Float64Array.from(d).buffer);
    case 'INT64':
      return new Uint8Array(BigInt64Array.from(d as number[], (v) => BigInt(v)).buffer);
    case 'UINT64':
      return new Uint8Array(BigUint64Array.from(d as number[], (v) => BigInt(v)).buffer);
    case 'FP16':
      return new Uint8Array(Uint16Array.from(d, toHalf).buffer);
  }
}
