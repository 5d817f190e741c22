/**
 * The thread side of a model export: builds the archive ({@link exportVersion}) on a data thread
 * (`exportArchive` in ../data/csv-tasks.ts, which loads this module on a thread's first export, so
 * CSV-only threads never load TF.js and every family). Building a 100-tree forest's JSON or ONNX
 * takes seconds (review F6), which on the API's event loop stalled every tenant's requests.
 */
import type { StoredArtifact } from '../families/model-family';
import type { FittedPipeline } from '../preprocess/types';
import { initBackend, tf } from '../tf';
import { exportVersion, type ExportArchive, type ExportedVersionInfo, type ExportFormat } from './bundle';

/** What a thread needs to build an export: the stored version (its weights moved in) and the format. */
export interface ExportTaskInput {
  stored: StoredArtifact;
  pipeline: FittedPipeline;
  info: ExportedVersionInfo;
  format: ExportFormat;
}

/**
 * The archive, as {@link exportVersion} builds it on the main thread (the same bytes but the ZIP
 * entries' modification times).
 * @throws AppError as exportVersion does.
 */
export async function buildExport(input: ExportTaskInput): Promise<ExportArchive> {
  // A network's ONNX export reads its weights through TF.js; the CPU backend reads float32 weights
  // as every backend does, starts no WASM module in this thread, and its arrays are collected
  // (a WASM heap never shrinks). Production mode: no debug checks, and no advice on stdout.
  if (input.stored.framework === 'tfjs-layers') {
    tf.enableProdMode();
    await initBackend('cpu');
  }
  return exportVersion(input.stored, input.pipeline, input.info, input.format);
}
