/**
 * The platform's own tabular models (networks and trees) as V2 tensors, the way KServe's sklearn
 * and xgboost servers read them:
 * - one input tensor `[rows, features]` (any name, e.g. `input-0`), the feature columns in the
 *   pipeline's order (the order `modelMetadata` lists them), numbers for numeric columns, strings
 *   (BYTES) or numbers for the others; or
 * - one tensor per feature column, named like the column, shape `[rows]` or `[rows, 1]`
 *   (KServe builds a DataFrame from such inputs).
 * Either becomes the rows predict reads (`FeatureMatrix`), so the answers equal predict's.
 * Outputs: `predict` (`[rows]`: BYTES labels for classifiers, FP64 values for regression) and, for
 * classifiers, `probabilities` (`[rows, classes]` FP64, in the target's class order).
 */
import { badInput, didYouMean, nameList, quote } from '../../lib/errors';
import type { Prediction } from '../../ml/predict';
import type { ValueMatrix } from '../../ml/preprocess/read-rows';
import type { FittedPipeline } from '../../ml/preprocess/types';
import type { NamedTensor, TensorSpec } from '../../ml/tensor-io';

/** Output names of a tabular model. */
export const TABULAR_OUTPUTS = { predict: 'predict', probabilities: 'probabilities' } as const;

/** The feature columns as V2 inputs, one `[rows]` tensor per column, in pipeline order. */
export function tabularInputSpecs(pipeline: FittedPipeline): TensorSpec[] {
  return pipeline.columns.map((c) => ({
    name: c.name,
    datatype: c.type === 'numeric' ? 'FP64' : c.type === 'boolean' ? 'BOOL' : 'BYTES',
    shape: [-1],
  }));
}

/** The outputs a tabular model serves: `predict`, and `probabilities` for classifiers. */
export function tabularOutputSpecs(pipeline: FittedPipeline): TensorSpec[] {
  const { task, classes } = pipeline.target;
  if (task === 'regression') return [{ name: TABULAR_OUTPUTS.predict, datatype: 'FP64', shape: [-1] }];
  return [
    { name: TABULAR_OUTPUTS.predict, datatype: 'BYTES', shape: [-1] },
    { name: TABULAR_OUTPUTS.probabilities, datatype: 'FP64', shape: [-1, classes?.length ?? 2] },
  ];
}

/** Where each value of the matrix came from, to name a bad value in the caller's terms. */
export interface MatrixSource {
  /** The tensor a feature column was read from. */
  tensorOf(feature: string): string;
}

/**
 * Input tensors → the rows predict reads.
 * @returns the matrix (columns = the pipeline's feature columns) and where each column came from.
 * @throws AppError BAD_USER_INPUT for a tensor of the wrong rank or width, an input that names no
 *   feature column (with a hint), a missing feature, tensors of different row counts.
 */
export function tensorsToMatrix(inputs: NamedTensor[], pipeline: FittedPipeline): { matrix: ValueMatrix; source: MatrixSource } {
  const names = pipeline.columns.map((c) => c.name);
  const width = names.length;
  const values = (t: NamedTensor): unknown[] => (Array.isArray(t.data) ? t.data : Array.from(t.data as ArrayLike<unknown>));
  if (inputs.length === 1 && inputs[0]!.shape.length === 2 && !(width === 1 && inputs[0]!.name === names[0])) {
    const t = inputs[0]!;
    const [rows, cols] = t.shape as [number, number];
    if (cols !== width) {
      throw badInput(`inputs[0] (tensor ${quote(t.name)}) has shape [${t.shape.join(', ')}]; the model takes [rows, ${width}], the features in this order: ${names.join(', ')}`, {
        field: 'inputs[0].shape',
      });
    }
    const data = values(t);
    const matrixRows = rows === 1 ? [data] : Array.from({ length: rows }, (_, i) => data.slice(i * width, (i + 1) * width));
    return { matrix: { columns: names, rows: matrixRows }, source: { tensorOf: () => t.name } };
  }
  let rows: number | undefined;
  const columns: unknown[][] = [];
  inputs.forEach((t, i) => {
    if (!names.includes(t.name)) {
      const hint = inputs.length === 1 ? ` (or send one [rows, ${width}] tensor)` : '';
      throw badInput(`inputs[${i}] names ${quote(t.name)}, which is no feature of the model${didYouMean(t.name, names)}; send one tensor per feature (${nameList(names)})${hint}`, {
        field: `inputs[${i}].name`,
      });
    }
    if (!(t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1))) {
      throw badInput(`inputs[${i}] (feature ${quote(t.name)}) has shape [${t.shape.join(', ')}]; a feature tensor is [rows] or [rows, 1]`, { field: `inputs[${i}].shape` });
    }
    if (rows !== undefined && t.shape[0] !== rows) {
      throw badInput(`inputs[${i}] (feature ${quote(t.name)}) has ${t.shape[0]} rows, inputs[0] has ${rows}: every feature tensor needs the same rows`, {
        field: `inputs[${i}].shape`,
      });
    }
    rows = t.shape[0];
    columns.push(values(t));
  });
  const given = inputs.map((t) => t.name);
  const missing = names.filter((n) => !given.includes(n));
  if (missing.length) throw badInput(`inputs lacks the feature ${quote(missing[0])}; send one tensor per feature (${names.join(', ')})`, { field: 'inputs', feature: missing[0] });
  const matrixRows = Array.from({ length: rows ?? 0 }, (_, r) => columns.map((c) => c[r]));
  return { matrix: { columns: given, rows: matrixRows }, source: { tensorOf: (f) => f } };
}

/**
 * Checks the outputs asked for against those a model serves.
 * @returns the names of every output served.
 * @throws AppError BAD_USER_INPUT for an output the model does not serve (naming those it does).
 */
export function checkOutputNames(specs: TensorSpec[], wanted: string[] | undefined): string[] {
  const served = specs.map((s) => s.name);
  for (const [i, name] of (wanted ?? []).entries()) {
    if (!served.includes(name))
      throw badInput(`outputs[${i}] names ${quote(name)}, which the model does not serve${didYouMean(name, served)}; it serves ${nameList(served)}`, {
        field: `outputs[${i}].name`,
      });
  }
  return served;
}

/**
 * Predictions → output tensors.
 * @param wanted output names (Default: every output).
 * @throws AppError BAD_USER_INPUT for an output the model does not serve (naming those it does).
 */
export function predictionsToTensors(predictions: Prediction[], pipeline: FittedPipeline, wanted?: string[]): NamedTensor[] {
  const specs = tabularOutputSpecs(pipeline);
  const served = checkOutputNames(specs, wanted);
  const rows = predictions.length;
  return (wanted ?? served).map((name): NamedTensor => {
    if (name === TABULAR_OUTPUTS.probabilities) {
      const k = specs.find((s) => s.name === name)!.shape[1]!;
      return { name, datatype: 'FP64', shape: [rows, k], data: predictions.flatMap((p) => p.probabilities ?? []) };
    }
    if (pipeline.target.task === 'regression') return { name, datatype: 'FP64', shape: [rows], data: predictions.map((p) => p.value!) };
    return { name, datatype: 'BYTES', shape: [rows], data: predictions.map((p) => p.label!) };
  });
}
