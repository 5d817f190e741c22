/**
 * From an uploaded table and a spec to model matrices: columns resolved, target read and its task
 * checked, rows split (seeded, optionally stratified), the preprocessing pipeline fitted on the
 * training split only and applied to all three splits.
 */
import { badInput, didYouMean, nameList, quote } from '../lib/errors';
import type { Table } from './data/csv';
import { inferType } from './data/infer-type';
import { codesFor } from './data/missing';
import { moments } from './data/stats';
import { fitColumn, transformValues } from './preprocess/fit';
import { tableValues } from './preprocess/frame';
import { defaultSteps, planPipeline } from './preprocess/plan';
import { sequenceColumn } from './preprocess/token-sequence';
import { inputNames, type FittedPipeline } from './preprocess/types';
import { orderedSplit, splitRows, stratifiedSplit } from './random';
import type { TrainingSpec } from './spec-types';
import { readTarget } from './target';

/**
 * How a family's examples arrive: `tabular` rows of feature columns (one example `[inputs]`), and,
 * as their families land, `image` (`[h, w, c]`), `tokens` (`[seqLen]`) and `interactions`
 * (user–item pairs).
 */
export type InputFormat = 'tabular' | 'image' | 'tokens' | 'interactions';

/** One split: model inputs `[rows, ...inputShape]` row-major; labels `[rows]` (class index or value). */
export interface SplitData {
  x: Float32Array;
  y: Float32Array;
  rows: number;
}

/** The data a family's `fit` takes: the three splits, their example shape, and the fitted pipeline. */
export interface PreparedData {
  /** How the examples were prepared; a family that does not list it in `inputFormats` is refused. */
  format: InputFormat;
  /**
   * One example's shape, without the batch dimension: `[inputs]` for tabular data, `[h, w, c]`
   * for images, `[seqLen]` for token sequences. Each split's `x` is `[rows, ...inputShape]`.
   */
  inputShape: readonly number[];
  pipeline: FittedPipeline;
  /** Model input names, in order (see FittedColumn.outputs); for tabular data, inputShape[0] of them. */
  inputNames: string[];
  /** Units the output layer must have: 1 for binary and regression, #classes for multiclass. */
  outputUnits: number;
  train: SplitData;
  validation: SplitData;
  test: SplitData;
  /** The test split's rows as 0-based data rows of the dataset (header not counted), for lineage; absent when not known. */
  testRowIndexes?: Int32Array;
}

export interface ColumnChoice {
  target: string;
  /** (Default: every column except the target) */
  features?: string[];
}

/**
 * Checks the chosen columns against the table.
 * @throws AppError BAD_USER_INPUT for an unknown target or feature (with a suggestion), a target
 *   listed as a feature, an empty or repeated feature list.
 */
export function resolveColumns(columns: string[], choice: ColumnChoice): { target: string; features: string[] } {
  const unknown = (field: string, name: string) => badInput(`${field} ${quote(name)} is not a column of the dataset${didYouMean(name, columns)}; columns are ${nameList(columns)}`);
  if (!columns.includes(choice.target)) throw unknown('targetColumn', choice.target);
  const features = choice.features ?? columns.filter((c) => c !== choice.target);
  if (features.length === 0) throw badInput('featureColumns is empty: the model needs at least one feature');
  const seen = new Set<string>();
  for (const f of features) {
    if (!columns.includes(f)) throw unknown('featureColumns', f);
    if (f === choice.target) throw badInput(`featureColumns includes the target column '${f}'`);
    if (seen.has(f)) throw badInput(`featureColumns names '${f}' twice`);
    seen.add(f);
  }
  return { target: choice.target, features };
}

/**
 * @param scaleTarget standardise a regression target when the spec asks (the family's `scalesTarget`).
 * @throws AppError BAD_USER_INPUT when the target does not fit the task, the preprocessing steps
 *   do not fit the columns (see planPipeline), or no rows are left for training.
 */
export function prepareData(table: Table, choice: ColumnChoice, spec: TrainingSpec, scaleTarget = false): PreparedData {
  const { target, features } = resolveColumns(table.columns, choice);
  const targetData = readTarget(table, target, spec);
  const info = { ...targetData.info };
  const n = targetData.rows.length;
  const split = spec.orderedSplit
    ? orderedSplit(n, spec.testFraction, spec.validationSplit)
    : spec.stratify && info.task !== 'regression'
      ? stratifiedSplit(targetData.y, spec.testFraction, spec.validationSplit, spec.seed)
      : splitRows(n, spec.testFraction, spec.validationSplit, spec.seed);
  if (split.train.length === 0) throw badInput('No rows are left for training after the test and validation splits');

  const columns = features.map((name) => ({ name, data: table.data[table.columns.indexOf(name)] }));
  const typed = columns.map((c) => ({ name: c.name, type: inferType(c.data) }));
  if (info.task === 'regression' && spec.preprocessing.standardizeTarget && scaleTarget) {
    const { mean, std } = moments(targetData.y, split.train);
    info.scale = { mean, std: std > 0 ? std : 1 };
  }
  const planned = planPipeline(typed, spec.preprocessing.steps ?? defaultSteps(spec.standardize));
  const tableRows = (idx: number[]) => Int32Array.from(idx, (k) => targetData.rows[k]);
  const trainRows = tableRows(split.train);
  const pipeline: FittedPipeline = {
    format: 'maas-pipeline/1',
    columns: planned.map((p, j) => fitColumn(p, tableValues(columns[j].data, p.type, trainRows), codesFor(table.missing, p.name))),
    target: info,
    datasetColumns: table.columns,
  };
  // Labels stay in the target's own units; the trainer scales them (see TargetInfo.scale).
  const take = (idx: number[]): SplitData => {
    const rows = tableRows(idx);
    const values = pipeline.columns.map((c, j) => tableValues(columns[j].data, c.type, rows));
    return { x: transformValues(pipeline.columns, values, idx.length), y: Float32Array.from(idx, (k) => targetData.y[k]), rows: idx.length };
  };
  const names = inputNames(pipeline);
  return {
    // One text column read as token ids is a token sequence; anything else is a table.
    format: sequenceColumn(pipeline) ? 'tokens' : 'tabular',
    inputShape: [names.length],
    pipeline,
    inputNames: names,
    outputUnits: info.task === 'multiclass' ? info.classes!.length : 1,
    train: take(split.train),
    validation: take(split.validation),
    test: take(split.test),
    testRowIndexes: tableRows(split.test),
  };
}
