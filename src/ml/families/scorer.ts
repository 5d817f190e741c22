/** Building a {@link Scorer} that checks the shape of what it is given. */
import { badInput } from '../../lib/errors';
import type { Scorer } from './model-family';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Wraps a scoring function with the seam's shape check.
 * @param inputShape one example's input shape, e.g. `[features]`.
 * @param outputShape one example's output shape, e.g. `[1]` or `[classes]`.
 * @param score row-major `[rows, ...inputShape]` -> row-major `[rows, ...outputShape]`.
 */
export function shapedScorer(
  inputShape: readonly number[],
  outputShape: readonly number[],
  score: (x: Float32Array, rows: number) => Float32Array,
  dispose: () => void = () => undefined,
): Scorer {
  const width = size(inputShape);
  let disposed = false;
  return {
    inputShape,
    outputShape,
    score(x, rows) {
      if (disposed) throw new Error('Scorer used after dispose()');
      if (!Number.isInteger(rows) || rows < 0 || x.length !== rows * width) {
        throw badInput(`Model inputs have ${x.length} values for ${rows} rows; this model takes [rows, ${inputShape.join(', ')}] (${rows * width} values)`, {
          expectedShape: [rows, ...inputShape],
          values: x.length,
        });
      }
      return score(x, rows);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      dispose();
    },
  };
}

/** Output units for a target: one for binary (P(classes[1])) and regression, one per class for multiclass. */
export const outputUnits = (target: { task: string; classes?: string[] }) => (target.task === 'multiclass' ? target.classes!.length : 1);
