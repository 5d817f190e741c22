/**
 * The image branch of a batch prediction (src/jobs/batch-prediction.job.ts): the stored image
 * tensor scored in chunks by the version, as two CSVs — `row,label,predicted_label,
 * predicted_probability` for readers with `datasets:read` (the stored class is dataset content)
 * and `row,predicted_label,predicted_probability` for the others.
 */
import { toSafeCsv } from '../ml/data/csv-export';
import { requireSupport, familyForFramework } from '../ml/families/registry';
import { checkBatchImages, scoreImageChunk } from '../ml/images/batch-score';
import { decodeImageSet } from '../ml/images/image-set';
import { loadScorer, type StoredModel } from '../ml/predictor';
import { readPipeline } from '../ml/preprocess/stored';

/** Images per chunk: one scorer call and one progress event each. */
const CHUNK = 256;

/**
 * @param onChunk called after each chunk with the images done and the total.
 * @throws AppError BAD_USER_INPUT (not an image model, other image shape), NOT_SUPPORTED, NON_FINITE_OUTPUT.
 */
export async function batchImages(content: Uint8Array, version: StoredModel & { framework: string }, onChunk: (done: number, total: number) => Promise<void>) {
  const set = decodeImageSet(content);
  const pipeline = readPipeline(version.preprocessing);
  requireSupport(familyForFramework(version.framework), 'batchPredict');
  checkBatchImages(set, pipeline);
  const scorer = await loadScorer(version);
  const full: string[] = [toSafeCsv([['row', 'label', 'predicted_label', 'predicted_probability']])];
  const only: string[] = [toSafeCsv([['row', 'predicted_label', 'predicted_probability']])];
  try {
    for (let start = 0; start < set.count; start += CHUNK) {
      const end = Math.min(start + CHUNK, set.count);
      const rows = scoreImageChunk(scorer, pipeline, set, start, end);
      full.push(toSafeCsv(rows.map((r) => [r.row, r.label, r.predictedLabel, r.predictedProbability])));
      only.push(toSafeCsv(rows.map((r) => [r.row, r.predictedLabel, r.predictedProbability])));
      await onChunk(end, set.count);
      await new Promise((resolve) => setImmediate(resolve)); // let other work in between chunks
    }
  } finally {
    scorer.dispose();
  }
  return { full: Buffer.from(full.join('')), predictionsOnly: Buffer.from(only.join('')), rows: set.count };
}
