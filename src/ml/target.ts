/**
 * The target column: its task (binary, multiclass, regression), inferred from the values and checked
 * against the loss, and its values as class indices or numbers.
 *
 * Inference (used when neither a loss nor spec.task says): two distinct values -> binary; strings,
 * or integers with at most 20 distinct values -> multiclass; other numbers -> regression.
 */
import { badInput } from '../lib/errors';
import type { Table } from './data/csv';
import type { ColumnType } from './data/infer-type';
import type { TargetInfo } from './preprocess/types';
import { LOSS_TASK, type TrainingSpec, type Task } from './spec-types';

/** What is known of a target column: from the stored profile (request time) or the data. */
export interface TargetFacts {
  type: ColumnType;
  /** Distinct labels (after label normalisation); undefined when unknown. */
  classes?: number;
  /** Numeric columns: whether every value is an integer. */
  integer?: boolean;
  /** A few labels, for messages. */
  examples?: string[];
}

const MAX_CLASSES = 1000;

/**
 * Characters of one class label, at most (the same bound as an uploaded ONNX model's labels): a
 * label is in every prediction of the version, so a 65,536-character cell as a label made each
 * predicted row 64 KB (issue 10, review 3).
 */
export const MAX_LABEL_LENGTH = 500;

export function inferTask(f: TargetFacts): Task {
  if (f.classes === 2) return 'binary';
  if (f.type !== 'numeric') return 'multiclass';
  return f.integer && f.classes !== undefined && f.classes <= 20 ? 'multiclass' : 'regression';
}

/**
 * The task of a run: the loss's (networks), spec.task, or inferred; checked against the target.
 * @throws AppError BAD_USER_INPUT when the target does not fit: a non-numeric target for
 *   regression, not 2 classes for binary, non-integer numbers or more than 1000 classes for
 *   multiclass; `extensions.field` names what asked for the task (`spec.loss`, `spec.task`) or
 *   `targetColumn` when it was inferred.
 */
export function decideTask(spec: Pick<TrainingSpec, 'loss' | 'task'>, target: string, f: TargetFacts): Task {
  const wanted = spec.loss ? LOSS_TASK[spec.loss] : spec.task;
  const task = wanted ?? inferTask(f);
  const subject = spec.loss ? `Loss ${spec.loss}` : `Task ${task.toUpperCase()}`;
  // The field a form shows the refusal beside: what asked for the task (the loss or spec.task), or
  // the target column when the task was inferred from it.
  const field = { field: spec.loss ? 'spec.loss' : spec.task ? 'spec.task' : 'targetColumn' };
  const examples = f.examples?.length ? ` (${f.examples.slice(0, 5).join(', ')}${(f.classes ?? 0) > 5 ? ', …' : ''})` : '';
  if (task === 'regression' && f.type !== 'numeric') {
    throw badInput(`Target column '${target}' is ${f.type}; ${subject} needs a numeric target`, field);
  }
  if (task === 'binary' && f.classes !== undefined && f.classes !== 2) {
    throw badInput(`${subject} needs a target with 2 classes; column '${target}' has ${f.classes}${examples}`, field);
  }
  if (task === 'multiclass') {
    if (f.type === 'numeric' && f.integer === false) {
      throw badInput(`Target column '${target}' holds non-integer numbers; ${subject} needs class labels (use a regression loss or task)`, field);
    }
    if (f.classes !== undefined && (f.classes < 2 || f.classes > MAX_CLASSES)) {
      throw badInput(`${subject} needs a target with 2 to ${MAX_CLASSES} classes; column '${target}' has ${f.classes}`, field);
    }
  }
  return task;
}

const byValue = (a: string, b: string) => {
  const [x, y] = [Number(a), Number(b)];
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : a < b ? -1 : a > b ? 1 : 0;
};

/**
 * Normalises a label: without `suffix` at its end (e.g. Adult's test file writes `<=50K.`), and
 * otherwise exactly as the CSV parser gave it — which already trims unquoted cells. Whitespace a
 * file quoted is kept, so `"\t=1"` and `=1` stay two classes (a label of only whitespace is missing).
 */
export const normalizeLabel = (label: string, suffix?: string | null) => {
  const kept = suffix && label.endsWith(suffix) ? label.slice(0, -suffix.length) : label;
  return kept.trim() === '' ? '' : kept;
};

export interface TargetData {
  info: TargetInfo;
  /** Table rows that have a target value, ascending. */
  rows: Int32Array;
  /** Per kept row: the class index (in `info.classes` order) or the value. */
  y: Float64Array;
}

/**
 * Reads the target column: rows with a missing target dropped (or refused), labels normalised,
 * classes sorted (numerically when they are numbers), task decided.
 * @throws AppError BAD_USER_INPUT when too few rows have a target, missing targets are not to be
 *   dropped, the target does not fit the task (see {@link decideTask}), or a class label is longer
 *   than {@link MAX_LABEL_LENGTH} characters.
 */
export function readTarget(table: Table, target: string, spec: TrainingSpec): TargetData {
  const column = table.data[table.columns.indexOf(target)];
  const suffix = spec.preprocessing.labelSuffix ?? undefined;
  const labelOf: (i: number) => string | null =
    column.kind === 'numeric'
      ? (i) => (Number.isNaN(column.values[i]) ? null : String(column.values[i]))
      : (i) => (column.codes[i] < 0 ? null : normalizeLabel(column.dictionary[column.codes[i]], suffix) || null);
  const kept: number[] = [];
  for (let i = 0; i < table.rowCount; i++) if (labelOf(i) !== null) kept.push(i);
  const missing = table.rowCount - kept.length;
  if (missing > 0 && spec.preprocessing.dropMissingTarget === false) {
    throw badInput(`Target column '${target}' is missing in ${missing} rows and spec.preprocessing.dropMissingTarget is false`);
  }
  if (kept.length < 2) throw badInput(`Only ${kept.length} rows have a value in target column '${target}'; at least 2 are needed`);
  const labels = kept.map(labelOf) as string[];
  const classes = [...new Set(labels)].sort(byValue);
  const type: ColumnType = column.kind === 'numeric' ? 'numeric' : 'categorical';
  const integer = column.kind === 'numeric' ? kept.every((i) => Number.isInteger(column.values[i])) : undefined;
  const task = decideTask(spec, target, { type, classes: classes.length, integer, examples: classes });
  const rows = Int32Array.from(kept);
  if (task !== 'regression') {
    const long = classes.find((c) => c.length > MAX_LABEL_LENGTH);
    if (long !== undefined) {
      throw badInput(`Target column '${target}' has a class label of ${long.length} characters ('${long.slice(0, 40)}…'); class labels may have at most ${MAX_LABEL_LENGTH}`, {
        field: 'targetColumn',
      });
    }
  }
  if (task === 'regression') {
    return { info: { name: target, task }, rows, y: Float64Array.from(kept, (i) => (column as { values: Float64Array }).values[i]) };
  }
  const index = new Map(classes.map((c, k) => [c, k]));
  return {
    info: { name: target, task, classes, ...(suffix ? { labelSuffix: suffix } : {}) },
    rows,
    y: Float64Array.from(labels, (l) => index.get(l)!),
  };
}
