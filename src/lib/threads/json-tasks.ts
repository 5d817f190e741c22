/**
 * JSON work on the answer threads (a {@link JsonThreads} pool, ANSWER_THREADS), so the API
 * process' event loop, which serves every tenant, does not spend milliseconds per large request or
 * answer on it: encoding large numeric arrays of model answers (see ../json-array-bytes.ts), and
 * parsing large request bodies (../json-body.ts). Values arrive and go back moved where they are
 * bytes or typed arrays.
 */
import path from 'node:path';
import { jsonArrayBytes, type NumericArray } from '../json-array-bytes';
import { depthExceededAt, MAX_BODY_DEPTH } from '../json-depth';
import { runTask } from './task-result';
import { ThreadPool } from './thread-pool';

/**
 * Encodes `values` as JSON bytes. @returns the values (moved back) with the bytes, or where the
 * first non-finite value sits.
 */
export function encodeJsonArray(input: { values: NumericArray }) {
  return runTask(
    () => ({ values: input.values, ...jsonArrayBytes(input.values) }),
    (out) => ('json' in out ? [out.values.buffer, out.json.buffer] : [out.values.buffer]),
  );
}

/** Arrays of at least this many numbers go back as Float64Arrays (see {@link parseJsonBody}). */
export const PACKED_FROM = 1024;

/** A key on the way from the parsed value to one of its arrays. */
export type JsonPath = (string | number)[];

/** Whether `v` is an array of at least {@link PACKED_FROM} elements, every one a number. */
function isLongNumberArray(v: unknown): v is number[] {
  if (!Array.isArray(v) || v.length < PACKED_FROM) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number') return false;
  return true;
}

/**
 * Replaces, in place, every array of {@link PACKED_FROM} numbers or more in `root` by a Float64Array
 * of the same values (a double holds every number JSON.parse makes, -0 and ±Infinity included), walked
 * iteratively. Structured clone copies an array of numbers number by number, and the main thread would
 * then hold (and collect) one heap object per value; a Float64Array moves as one buffer.
 * A `__proto__` key's array is left as it is (assigning it would set the prototype).
 * @returns the value (itself a Float64Array when the root is such an array) and where each one sits.
 */
function packNumberArrays(root: unknown): { value: unknown; paths: JsonPath[]; arrays: Float64Array[] } {
  if (isLongNumberArray(root)) {
    const packed = Float64Array.from(root);
    return { value: packed, paths: [[]], arrays: [packed] };
  }
  const paths: JsonPath[] = [];
  const arrays: Float64Array[] = [];
  const stack: [Record<string | number, unknown>, JsonPath][] = [];
  if (root !== null && typeof root === 'object') stack.push([root as Record<string, unknown>, []]);
  while (stack.length) {
    const [node, path] = stack.pop()!;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys) {
      const child = node[key];
      if (child === null || typeof child !== 'object') continue;
      if (key !== '__proto__' && isLongNumberArray(child)) {
        const packed = Float64Array.from(child);
        node[key] = packed;
        paths.push([...path, key]);
        arrays.push(packed);
      } else stack.push([child as Record<string, unknown>, [...path, key]]);
    }
  }
  return { value: root, paths, arrays };
}

/**
 * Parses a request body's UTF-8 bytes as JSON, after the raw-bytes depth check (MAX_BODY_DEPTH),
 * as the inline reader does (json-body.ts).
 * @returns `{ value, paths }` (copied back by structured clone, which keeps every JSON value as it
 *   is; each array of {@link PACKED_FROM} numbers or more moved back as a Float64Array at its path,
 *   for {@link unpackNumberArrays}), or the bytes moved back when the body is nested too deep or is
 *   not JSON: the caller's inline path answers those, with body-parser's own refusal.
 */
export function parseJsonBody(input: { bytes: Uint8Array }) {
  return runTask(
    (): { value: unknown; paths: JsonPath[]; arrays: Float64Array[] } | { bytes: Uint8Array } => {
      const { bytes } = input;
      if (depthExceededAt(bytes, MAX_BODY_DEPTH) >= 0) return { bytes };
      let value: unknown;
      try {
        value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as unknown;
      } catch {
        return { bytes };
      }
      return packNumberArrays(value);
    },
    (out) => ('bytes' in out ? [out.bytes.buffer] : out.arrays.map((a) => a.buffer)),
  );
}

/**
 * The parsed value as JSON.parse made it: each Float64Array {@link parseJsonBody} put at `paths`
 * becomes an array of its numbers again (one indexed loop: ~0.4 ms for 50,000 numbers).
 */
export function unpackNumberArrays(value: unknown, paths: readonly JsonPath[]): unknown {
  const plain = (packed: Float64Array) => {
    const out = new Array<number>(packed.length);
    for (let i = 0; i < packed.length; i++) out[i] = packed[i]!;
    return out;
  };
  for (const path of paths) {
    if (path.length === 0) return plain(value as Float64Array);
    let parent = value as Record<string | number, unknown>;
    for (let i = 0; i < path.length - 1; i++) parent = parent[path[i]!] as Record<string | number, unknown>;
    const key = path[path.length - 1]!;
    parent[key] = plain(parent[key] as Float64Array);
  }
  return value;
}

export type JsonThreads = ThreadPool<{ encodeJsonArray: typeof encodeJsonArray; parseJsonBody: typeof parseJsonBody }>;

/**
 * The pool; threads start on first use and exit after a minute idle.
 * @param threads at most this many worker threads (ANSWER_THREADS).
 * @param maxQueue tasks that may wait for a thread (beyond it: QUOTA_EXCEEDED, busy).
 */
export function createJsonThreads(threads: number, maxQueue = 1024): JsonThreads {
  return new ThreadPool(path.join(__dirname, `json-tasks${path.extname(__filename)}`), threads, { maxQueue });
}
