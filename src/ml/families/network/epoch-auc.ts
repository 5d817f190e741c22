/**
 * ROC AUC per epoch, for the `AUC` metric (binary classification): tfjs has no AUC metric, so after
 * each epoch the network scores the training split (in its stored order) and the validation split,
 * and the AUC is computed as for the test metrics (src/ml/evaluate.ts `rocAuc`, scikit-learn's
 * roc_auc_score). Costs one forward pass over both splits per epoch (about a third of an epoch).
 */
import type { PreparedData, SplitData } from '../../prepare';
import { rocAuc } from '../../roc-auc';
import { tf } from '../../tf';

/** Rows scored per predict call, to bound the activations held at once. */
const CHUNK_ROWS = 8192;

function scores(model: tf.LayersModel, split: SplitData, inputShape: readonly number[]): Float32Array {
  const size = inputShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(split.rows);
  for (let start = 0; start < split.rows; start += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, split.rows - start);
    const part = tf.tidy(() => (model.predict(tf.tensor(split.x.subarray(start * size, (start + rows) * size), [rows, ...inputShape])) as tf.Tensor).dataSync() as Float32Array);
    out.set(part, start);
  }
  return out;
}

/**
 * `{ auc, val_auc }` of a binary network after an epoch (`val_auc` only with a validation split;
 * either left out when its split holds one class only, where AUC is undefined).
 */
export function epochAuc(model: tf.LayersModel, data: PreparedData): Record<string, number> {
  const out: Record<string, number> = {};
  const train = rocAuc(scores(model, data.train, data.inputShape), data.train.y);
  if (train !== undefined) out.auc = train;
  if (data.validation.rows > 0) {
    const validation = rocAuc(scores(model, data.validation, data.inputShape), data.validation.y);
    if (validation !== undefined) out.val_auc = validation;
  }
  return out;
}
