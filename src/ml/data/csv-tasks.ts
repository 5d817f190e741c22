/**
 * CSV work run on worker threads (a {@link CsvThreads} pool): decoding, parsing, profiling and
 * correlating files of up to MAX_UPLOAD_BYTES, so the event loop keeps serving meanwhile.
 * Inputs arrive by structured clone (a Buffer arrives as a Uint8Array); parsed tables travel back
 * with their typed arrays moved, not copied.
 */
import path from 'node:path';
import { ThreadPool } from '../../lib/threads/thread-pool';
import { runTask } from '../../lib/threads/task-result';
import { readImageUpload, type ImageUpload } from '../images/read-upload';
import { correlationsWithTarget } from './correlate';
import { parseCsv, type CsvOptions, type Table } from './csv';
import { decodeText } from './decode';
import { declaredMissing, profileTable, type ColumnProfile } from './profile';

/** CSV bytes -> table (see decodeText, parseCsv). */
const parseBytes = (bytes: Uint8Array, options: CsvOptions) => parseCsv(decodeText(bytes), options);

/** What an upload stores besides the bytes. */
export interface CsvSummary {
  rowCount: number;
  hasHeader: boolean;
  delimiter: string;
  columns: ColumnProfile[];
}

/**
 * Decodes, parses and profiles an uploaded CSV, and hands its bytes back (moved, as they came:
 * see `movable`). @throws (as a TaskResult) what parseCsv throws.
 */
export function profileCsv(input: { bytes: Uint8Array; options: CsvOptions }) {
  return runTask(
    (): CsvSummary & { bytes: Uint8Array } => {
      const table = parseBytes(input.bytes, input.options);
      return { rowCount: table.rowCount, hasHeader: table.hasHeader, delimiter: table.delimiter, columns: profileTable(table), bytes: input.bytes };
    },
    (summary) => [summary.bytes.buffer],
  );
}

/** Decodes and parses a stored CSV into a {@link Table}, its column arrays moved to the caller. */
export function parseCsvTable(input: { bytes: Uint8Array; options: CsvOptions }) {
  return runTask(
    () => parseBytes(input.bytes, input.options),
    (table: Table) => [...table.data, ...(table.text ?? [])].map((c) => (c.kind === 'numeric' ? c.values.buffer : c.codes.buffer)),
  );
}

/** Pearson correlations of a stored CSV's columns with `target`, with its declared missing codes. */
export function correlateCsv(input: { bytes: Uint8Array; hasHeader: boolean; delimiter: string; columns: ColumnProfile[]; target: string }) {
  return runTask(() => {
    const options = { hasHeader: input.hasHeader, delimiter: input.delimiter, missing: declaredMissing(input.columns) };
    return correlationsWithTarget(parseBytes(input.bytes, options), input.target);
  });
}

/** The pool running this module's tasks. */
/** Decodes an image upload (MNIST IDX, a ZIP of class folders, a pixel CSV) to the stored container and its profile. */
export function readImages(input: ImageUpload) {
  return runTask(
    () => readImageUpload(input),
    (out) => [out.content.buffer],
  );
}

export type CsvThreads = ThreadPool<{ profileCsv: typeof profileCsv; parseCsvTable: typeof parseCsvTable; correlateCsv: typeof correlateCsv; readImages: typeof readImages }>;

/** @param threads at most this many worker threads (config DATA_THREADS). */
export function createCsvThreads(threads: number): CsvThreads {
  return new ThreadPool(path.join(__dirname, `csv-tasks${path.extname(__filename)}`), threads);
}
