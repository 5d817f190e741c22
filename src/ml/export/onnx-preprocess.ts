/**
 * The tabular preprocessing plan as ONNX operators, when it can be: every feature column numeric,
 * with only value steps (impute, clip, standardize, min_max_scale; see ../preprocess/steps.ts).
 * The graph then takes the raw feature columns (`features`, float32 `[batch, columns]`, NaN =
 * missing) and computes the model inputs exactly as `transformValues` does, in float32.
 * Encoders (one_hot on strings, bucketize, text) are not expressed: such exports take the model
 * inputs (the preprocessed vector) instead, and the manifest says so.
 */
import type { FittedColumn, FittedPipeline } from '../preprocess/types';
import type { OnnxGraph } from './onnx-graph';

const VALUE_STEPS = new Set(['impute', 'clip', 'standardize', 'min_max_scale']);

/** Whether {@link preprocessInGraph} can express the pipeline (see the module comment). */
export function preprocessingExpressible(pipeline: FittedPipeline): boolean {
  return pipeline.columns.length > 0 && pipeline.columns.every((c) => c.type === 'numeric' && c.steps.every((s) => VALUE_STEPS.has(s.op)));
}

/** One column's chain on `v` (`[batch, 1]`). */
function columnChain(g: OnnxGraph, col: FittedColumn, v: string): string {
  const scalar = (x: number) => g.floats([x], []);
  const codes = col.missingCodes
    .filter((c) => c.trim() !== '')
    .map(Number)
    .filter(Number.isFinite);
  for (const code of codes) v = g.node('Where', [g.node('Equal', [v, scalar(code)]), scalar(NaN), v]);
  for (const step of col.steps) {
    if (step.op === 'impute') v = g.node('Where', [g.node('IsNaN', [v]), scalar(step.value as number), v]);
    else if (step.op === 'clip') {
      // Where, not Clip: NaN passes through both comparisons, as in applyValueStep.
      const lo = scalar(step.lower);
      const hi = scalar(step.upper);
      v = g.node('Where', [g.node('Less', [v, lo]), lo, g.node('Where', [g.node('Greater', [v, hi]), hi, v])]);
    } else if (step.op === 'standardize') v = g.node('Div', [g.node('Sub', [v, scalar(step.mean)]), scalar(step.std)]);
    else if (step.op === 'min_max_scale') v = g.node('Div', [g.node('Sub', [v, scalar(step.min)]), scalar(step.max - step.min || 1)]);
  }
  return v;
}

/**
 * Adds the pipeline's value steps to `g`.
 * @param input the raw features, float32 `[batch, columns]` in `pipeline.columns` order.
 * @returns the model inputs' name, float32 `[batch, inputs]`.
 * Call only when {@link preprocessingExpressible} holds.
 */
export function preprocessInGraph(g: OnnxGraph, pipeline: FittedPipeline, input: string): string {
  const columns = pipeline.columns.map((col, j) => columnChain(g, col, g.node('Gather', [input, g.ints([j], [1])], { axis: { i: 1 } })));
  return g.node('Concat', columns, { axis: { i: 1 } });
}
