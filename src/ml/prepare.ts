/**
 * From an uploaded table and a spec to training matrices: columns resolved, task checked against
 * the loss, rows with a missing target dropped, rows split (seeded), preprocessing fitted on the
 * training split only and applied to all three splits.
 */
import { badInput, didYouMean } from '../lib/errors';
import type { Table } from './data/csv';
import { fitFeatureStats, transformFeatures, type Preprocessing } from './preprocess';
import { splitRows } from './random';
import { LOSS_TASK, type TrainingSpec } from './spec';

/** One split: features [rows, features] row-major, labels [rows, outputs] row-major. */
export interface SplitData {
  x: Float32Array;
  y: Float32Array;
  rows: number;
}

export interface PreparedData {
  prep: Preprocessing;
  featureNames: string[];
  /** Units the output layer must have: 1 for binary and regression, #classes for multiclass. */
  outputUnits: number;
  train: SplitData;
  validation: SplitData;
  test: SplitData;
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
  const unknown = (field: string, name: string) =>
    badInput(`${field} '${name}' is not a column of the dataset${didYouMean(name, columns)}; columns are ${columns.join(', ')}`);
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

const byValue = (a: string, b: string) => {
  const [x, y] = [Number(a), Number(b)];
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : a.localeCompare(b);
};

/**
 * @throws AppError BAD_USER_INPUT when a feature is not numeric (naming the line), the target does
 *   not fit the loss (e.g. 3 classes for binary_crossentropy), or too few rows remain.
 */
export function prepareData(table: Table, choice: ColumnChoice, spec: TrainingSpec): PreparedData {
  const { target, features } = resolveColumns(table.columns, choice);
  const task = LOSS_TASK[spec.loss];
  const ti = table.columns.indexOf(target);
  const fi = features.map((f) => table.columns.indexOf(f));
  const rows = table.rows.filter((r) => r[ti] !== '');
  if (rows.length < 2) throw badInput(`Only ${rows.length} rows have a value in target column '${target}'; at least 2 are needed`);

  const x = rows.map((r, i) => {
    const out = new Float64Array(fi.length);
    fi.forEach((col, j) => {
      const cell = r[col];
      const v = cell === '' ? NaN : Number(cell);
      if (cell !== '' && !Number.isFinite(v)) {
        throw badInput(`Feature column '${features[j]}' is not numeric: value '${cell}' in data row ${i + 1}`, {
          feature: features[j],
        });
      }
      out[j] = v;
    });
    return out;
  });

  let classes: string[] | undefined;
  let y: Float64Array[];
  if (task === 'regression') {
    y = rows.map((r, i) => {
      const v = Number(r[ti]);
      if (!Number.isFinite(v)) throw badInput(`Target column '${target}' must be numeric for loss ${spec.loss}: value '${r[ti]}' in data row ${i + 1}`);
      return Float64Array.of(v);
    });
  } else {
    classes = [...new Set(rows.map((r) => r[ti]))].sort(byValue);
    if (task === 'binary' && classes.length !== 2) {
      throw badInput(`Loss ${spec.loss} needs a target with 2 classes; column '${target}' has ${classes.length} (${classes.slice(0, 5).join(', ')}${classes.length > 5 ? ', …' : ''})`);
    }
    if (task === 'multiclass' && (classes.length < 2 || classes.length > 1000)) {
      throw badInput(`Loss ${spec.loss} needs a target with 2 to 1000 classes; column '${target}' has ${classes.length}`);
    }
    const index = new Map(classes.map((c, k) => [c, k]));
    const oneHot = spec.loss === 'categorical_crossentropy';
    y = rows.map((r) => {
      const k = index.get(r[ti])!;
      if (!oneHot) return Float64Array.of(k);
      const v = new Float64Array(classes!.length);
      v[k] = 1;
      return v;
    });
  }
  const outputUnits = task === 'multiclass' ? classes!.length : 1;

  const split = splitRows(rows.length, spec.testFraction, spec.validationSplit, spec.seed);
  if (split.train.length === 0) throw badInput('No rows are left for training after the test and validation splits');
  const prep: Preprocessing = {
    features: fitFeatureStats(features, x, split.train),
    standardize: spec.standardize,
    target: { name: target, task, ...(classes ? { classes } : {}) },
  };
  const take = (idx: number[]): SplitData => ({
    x: transformFeatures(idx.map((i) => x[i]), prep),
    y: Float32Array.from(idx.flatMap((i) => Array.from(y[i]))),
    rows: idx.length,
  });
  return {
    prep,
    featureNames: features,
    outputUnits,
    train: take(split.train),
    validation: take(split.validation),
    test: take(split.test),
  };
}
