/** Scoring with a TF.js convolutional network: images in, class probabilities out, in one batch. */
import { tf } from '../../tf';
import type { Scorer } from '../model-family';
import { shapedScorer } from '../scorer';

/**
 * @param inputShape one image, `[h, w, c]`.
 * @param classes output units (softmax probabilities).
 * @param owned whether dispose() disposes the model (and its optimizer).
 */
export function cnnScorer(model: tf.LayersModel, inputShape: readonly number[], classes: number, owned: boolean): Scorer {
  return shapedScorer(
    inputShape,
    [classes],
    (x, rows) => {
      if (rows === 0) return new Float32Array(0);
      // One batch (see network/scorer.ts runNetwork: slicing per batch is quadratic on WASM); callers bound rows.
      return tf.tidy(() => (model.predict(tf.tensor4d(x, [rows, ...inputShape] as [number, number, number, number]), { batchSize: rows }) as tf.Tensor).dataSync() as Float32Array);
    },
    () => {
      if (!owned) return;
      model.optimizer?.dispose();
      model.dispose();
    },
  );
}
