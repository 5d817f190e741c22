/**
 * JSON encoding of large numeric arrays on a worker thread (a {@link JsonArrayThreads} pool), so
 * the API process' event loop does not spend tens of milliseconds per large model answer encoding
 * it (see ../json-array-bytes.ts). The values arrive moved and go back moved with the bytes.
 */
import path from 'node:path';
import { jsonArrayBytes, type NumericArray } from '../json-array-bytes';
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

export type JsonArrayThreads = ThreadPool<{ encodeJsonArray: typeof encodeJsonArray }>;

/**
 * The pool; threads start on first use and exit after a minute idle.
 * @param threads at most this many worker threads (ANSWER_THREADS).
 * @param maxQueue encodings that may wait for a thread (beyond it: QUOTA_EXCEEDED, busy).
 */
export function createJsonArrayThreads(threads: number, maxQueue = 1024): JsonArrayThreads {
  return new ThreadPool(path.join(__dirname, `json-array-task${path.extname(__filename)}`), threads, { maxQueue });
}
