/**
 * A numeric typed array as the UTF-8 bytes of its JSON text (`[0.5,1,…]`), the same bytes as
 * `JSON.stringify(Array.from(values))`: each element read as a double (a float32 widened, so
 * 0.1f is `0.10000000149011612`, as before). Encoded on a thread (./threads/json-tasks.ts)
 * for large model outputs, so the API process' event loop only writes finished bytes (issue 10:
 * one JSON.stringify of super-resolution's 451,584 floats, ~9 MB, cost the shared event loop
 * ~50 ms of CPU per answer, and the UTF-8 conversion of the text when written as much again).
 *
 * {@link EncodedJsonArray} carries the bytes with the values, so a writer that is not streaming
 * (a websocket answer) still serialises it right: its `toJSON` gives the plain values.
 */

/** The typed arrays encoded here (no BigInt64Array: JSON has no BigInt). */
export type NumericArray = Float32Array | Float64Array | Int32Array;

/** Elements encoded per piece (bounds the temporary plain array). */
const PIECE = 16_384;

/** Where a value JSON cannot carry (NaN, ±Infinity) sits, when one does. */
export interface NonFinite {
  index: number;
  /** 'NaN', 'Infinity' or '-Infinity'. */
  value: string;
}

/**
 * @returns the JSON bytes of `values` (in an ArrayBuffer of their own, so they can be moved to
 *   another thread), or where the first non-finite value sits (then nothing is encoded).
 */
export function jsonArrayBytes(values: NumericArray): { json: Uint8Array } | { nonFinite: NonFinite } {
  const pieces: string[] = [];
  let bytes = 2;
  const plain = new Array<number>(Math.min(PIECE, values.length));
  for (let from = 0; from < values.length; from += PIECE) {
    const to = Math.min(values.length, from + PIECE);
    if (to - from !== plain.length) plain.length = to - from;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) return { nonFinite: { index: i, value: String(v) } };
      plain[i - from] = v;
    }
    const text = JSON.stringify(plain);
    const piece = from === 0 ? text.slice(1, -1) : `,${text.slice(1, -1)}`;
    pieces.push(piece);
    bytes += piece.length; // ASCII only: digits, '.', '-', 'e', '+', ','
  }
  const json = Buffer.allocUnsafeSlow(bytes);
  let at = json.write('[', 0, 'latin1');
  for (const piece of pieces) at += json.write(piece, at, 'latin1');
  json.write(']', at, 'latin1');
  return { json: new Uint8Array(json.buffer, json.byteOffset, json.byteLength) };
}

/**
 * A JSON array already encoded, with the values it encodes. Writers that stream (src/lib/json-stream.ts)
 * send `json` as it is; anything that serialises it with `JSON.stringify` gets the plain values.
 */
export class EncodedJsonArray {
  constructor(
    /** The values, row-major. */
    readonly values: NumericArray,
    /** The UTF-8 (ASCII) bytes of `JSON.stringify(Array.from(values))`. */
    readonly json: Uint8Array,
  ) {}

  /** Elements in the array. */
  get length(): number {
    return this.values.length;
  }

  /** The plain values, for a serialiser that is not streaming (e.g. a GraphQL answer over the websocket). */
  toJSON(): number[] {
    return Array.from(this.values);
  }
}
