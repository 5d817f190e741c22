/**
 * CSV work run on worker threads (a {@link CsvThreads} pool, the data threads): decoding, parsing,
 * profiling and correlating files of up to MAX_UPLOAD_BYTES, so the event loop keeps serving
 * meanwhile; image uploads, and the PNG/JPEG files of serving calls (predictImage, explainImage); also
 * building model export archives (`exportArchive`).
 * Inputs arrive by structured clone (a Buffer arrives as a Uint8Array); parsed tables travel back
 * with their typed arrays moved, not copied.
 */
import path from 'node:path';
import { ThreadPool } from '../../lib/threads/thread-pool';
import { runTask, runTaskAsync } from '../../lib/threads/task-result';
import type { ExportTaskInput } from '../export/export-task';
import type { OnnxImagePreprocessing } from '../families/onnx/serving-info';
import type { ImageInput } from '../images/normalize';
import { readImageUpload, type ImageUpload } from '../images/read-upload';
import { decodeToShape, onnxImageTensor } from '../images/request-images';
import { correlationMatrix, correlationsWithTarget } from './correlate';
import { parseCsv, type CsvOptions, type Table } from './csv';
import { decodeBytes, type TextEncoding } from './decode';
import { profileTable, type ColumnProfile } from './profile';
import { tableBuffers } from './table-cache';
import { storedCsvOptions, type StoredCsvFormat } from './stored-format';
import { tokensByClass } from './text-profile';

/** CSV bytes -> table, decoded in `options.encoding` (see decodeBytes, parseCsv). */
export function parseBytes(bytes: Uint8Array, options: CsvOptions): Table & { encoding: TextEncoding } {
  const { text, encoding } = decodeBytes(bytes, options.encoding);
  return { ...parseCsv(text, options), encoding };
}

/** What an upload stores besides the bytes. */
export interface CsvSummary {
  rowCount: number;
  hasHeader: boolean;
  delimiter: string;
  quoting: boolean;
  /** Declared, or detected (UTF-8 when valid, else ISO-8859-1). */
  encoding: TextEncoding;
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
      const { rowCount, hasHeader, delimiter, quoting, encoding } = table;
      return { rowCount, hasHeader, delimiter, quoting, encoding, columns: profileTable(table), bytes: input.bytes };
    },
    (summary) => [summary.bytes.buffer],
  );
}

/** Decodes and parses a stored CSV into a {@link Table}, its column arrays moved to the caller. */
export function parseCsvTable(input: { bytes: Uint8Array; options: CsvOptions }) {
  return runTask(
    () => parseBytes(input.bytes, input.options),
    (table: Table) => tableBuffers(table),
  );
}

/** Pearson correlations of a stored CSV's columns with `target`, read as uploaded (see storedCsvOptions). */
export function correlateCsv(input: { bytes: Uint8Array; dataset: StoredCsvFormat; target: string }) {
  return runTask(() => correlationsWithTarget(parseBytes(input.bytes, storedCsvOptions(input.dataset)), input.target));
}

/** The correlation matrix of a stored CSV's numeric columns, read as uploaded (see correlationMatrix). */
export function correlationMatrixCsv(input: { bytes: Uint8Array; dataset: StoredCsvFormat }) {
  return runTask(() => correlationMatrix(parseBytes(input.bytes, storedCsvOptions(input.dataset))));
}

/** The most frequent tokens of a stored CSV's text column per class of `target` (see tokensByClass). */
export function textByClassCsv(input: { bytes: Uint8Array; dataset: StoredCsvFormat; column: string; target: string }) {
  return runTask(() => tokensByClass(parseBytes(input.bytes, storedCsvOptions(input.dataset)), input.column, input.target));
}

/** Decodes an image upload (MNIST IDX, a ZIP of class folders, a pixel CSV) to the stored container and its profile. */
export function readImages(input: ImageUpload) {
  return runTask(
    () => readImageUpload(input),
    (out) => [out.content.buffer],
  );
}

/**
 * Builds a model version's export archive (../export/export-task.ts); its bytes move back. The
 * export code (TF.js, every model family, ONNX writer) is loaded on a thread's first export, so a
 * thread that only ever parses CSVs does not load it.
 */
export function exportArchive(input: ExportTaskInput) {
  return runTaskAsync(
    () => (require('../export/export-task') as typeof import('../export/export-task')).buildExport(input),
    (archive) => [archive.bytes.buffer],
  );
}


/**
* A serving call's PNG/JPEG files (a CNN's predictImage / explainImage) decoded to the model's
 * `[images, h, w, c]` uint8 pixels, moved back (see decodeToShape; src/modules/serving/image-decoder.ts).
 */
export function decodeRequestImages(input: { images: Uint8Array[]; fields: string[]; image: ImageInput }) {
  return runTask(
    () => decodeToShape(input.images, input.fields, input.image),
    (pixels) => [pixels.buffer],
  );
}

/** One PNG/JPEG file of an ONNX predictImage call decoded and preprocessed to the model's float32 input, moved back (see onnxImageTensor). */
export function onnxImageInput(input: { bytes: Uint8Array; field: string; maxPixels: number; recipe: OnnxImagePreprocessing }) {
  return runTask(
    () => onnxImageTensor(input.bytes, input.field, input.maxPixels, input.recipe),
    (tensor) => [tensor.data.buffer],
  );
}

/** The pool running this module's tasks. */
export type CsvThreads = ThreadPool<{
  profileCsv: typeof profileCsv;
  parseCsvTable: typeof parseCsvTable;
  correlateCsv: typeof correlateCsv;
  correlationMatrixCsv: typeof correlationMatrixCsv;
  textByClassCsv: typeof textByClassCsv;
  readImages: typeof readImages;
  exportArchive: typeof exportArchive;
  decodeRequestImages: typeof decodeRequestImages;
  onnxImageInput: typeof onnxImageInput;
}>;

/** @param threads at most this many worker threads (config DATA_THREADS). */
export function createCsvThreads(threads: number): CsvThreads {
  return new ThreadPool(path.join(__dirname, `csv-tasks${path.extname(__filename)}`), threads);
}
