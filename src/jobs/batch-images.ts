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
import type { ScoringThreads } from '../ml/serving/scoring-threads';
import { slicedThreadScore } from '../ml/serving/thread-predictor';
import type { ResultBudget } from './batch-result-budget';

/** Images per chunk: one scorer call and one progress event each. */
const CHUNK = 256;

/**
 * @param onChunk called after each chunk with the images done and the total.
 * @param scoring score on these threads (SERVING_ISOLATION=thread), under the version's own handle; on this thread when undefined.
 * @param budget counts each chunk's bytes against the storage quota (stops the batch once they pass it).
 * @throws AppError QUOTA_EXCEEDED once the result passes `budget`; BAD_USER_INPUT (not an image model, other image shape), NOT_SUPPORTED, NON_FINITE_OUTPUT;
 *   MODEL_NOT_READY (RuntimeFaultError) when the version crashes its scoring thread or is quarantined.
 */
export async function batchImages(
  content: Uint8Array,
  version: StoredModel & { id: string; framework: string; tenantId: string },
  onChunk: (done: number, total: number) => Promise<void>,
  scoring?: ScoringThreads,
  budget?: ResultBudget,
) {
  const set = decodeImageSet(content);
  const pipeline = readPipeline(version.preprocessing);
  requireSupport(familyForFramework(version.framework), 'batchPredict');
  checkBatchImages(set, pipeline);
  const scorer = scoring ? await threadScorer(scoring, version) : await loadScorer(version);
  const full: string[] = [toSafeCsv([['row', 'label', 'predicted_label', 'predicted_probability']])];
  const only: string[] = [toSafeCsv([['row', 'predicted_label', 'predicted_probability']])];
  budget?.add(full[0]!, only[0]!, 0, set.count);
  try {
    for (let start = 0; start < set.count; start += CHUNK) {
      const end = Math.min(start + CHUNK, set.count);
      const rows = await scoreImageChunk((x, rows) => scorer.score(x, rows), pipeline, set, start, end);
      const fullText = toSafeCsv(rows.map((r) => [r.row, r.label, r.predictedLabel, r.predictedProbability]));
      const onlyText = toSafeCsv(rows.map((r) => [r.row, r.predictedLabel, r.predictedProbability]));
      budget?.add(fullText, onlyText, end, set.count);
      full.push(fullText);
      only.push(onlyText);
      await onChunk(end, set.count);
      await new Promise((resolve) => setImmediate(resolve)); // let other work in between chunks
    }
  } finally {
    scorer.dispose();
  }
  return { full: Buffer.from(full.join('')), predictionsOnly: Buffer.from(only.join('')), rows: set.count };
}

/** The version loaded on a scoring thread: `score` moves each chunk's features there and back. */
async function threadScorer(scoring: ScoringThreads, version: StoredModel & { id: string; tenantId: string }) {
  const handle = scoring.register(version.id, version, version.tenantId);
  try {
    await handle.ready();
  } catch (err) {
    handle.dispose();
    throw err;
  }
  return {
    score: slicedThreadScore(scoring, handle, version, readPipeline(version.preprocessing)),
    dispose: () => handle.dispose(),
  };
}
