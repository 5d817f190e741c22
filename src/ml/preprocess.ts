/**
 * Preprocessing fitted on the training split and stored with the model version, so predict
 * applies exactly what training applied: missing numeric values imputed with the training mean,
 * then (optionally) standardised: x' = (x - mean) / std.
 */
import { badInput, didYouMean, quote } from '../lib/errors';
import type { Task } from './spec';

export interface FeatureStats {
  name: string;
  /** Training-split mean; also the imputation value for missing cells. */
  mean: number;
  /** Training-split population standard deviation (1 when it is 0, so constant features pass through). */
  std: number;
}

export interface TargetInfo {
  name: string;
  task: Task;
  /** Classification: class labels in output order (index i = output unit i, or P(class 1) for binary). */
  classes?: string[];
}

export interface Preprocessing {
  features: FeatureStats[];
  standardize: boolean;
  target: TargetInfo;
}

/**
 * Fits per-feature mean and standard deviation on `x` ([rows, features], NaN = missing).
 * @param rows indices of the rows to fit on (the training split only).
 */
export function fitFeatureStats(names: string[], x: Float64Array[], rows: number[]): FeatureStats[] {
  return names.map((name, j) => {
    let n = 0;
    let sum = 0;
    for (const i of rows) {
      const v = x[i][j];
      if (!Number.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    const mean = n > 0 ? sum / n : 0;
    let ss = 0;
    for (const i of rows) {
      const v = x[i][j];
      if (!Number.isNaN(v)) ss += (v - mean) ** 2;
    }
    const std = n > 0 ? Math.sqrt(ss / n) : 0;
    return { name, mean, std: std > 0 ? std : 1 };
  });
}

/**
 * Applies imputation and scaling to raw feature rows.
 * @param x raw rows, each [features] in the order of `prep.features`; NaN = missing.
 * @returns a row-major Float32Array of shape [x.length, features].
 */
export function transformFeatures(x: ArrayLike<number>[], prep: Preprocessing): Float32Array {
  const f = prep.features.length;
  const out = new Float32Array(x.length * f);
  for (let i = 0; i < x.length; i++) {
    const row = x[i];
    for (let j = 0; j < f; j++) {
      const { mean, std } = prep.features[j];
      const v = Number.isNaN(row[j]) ? mean : row[j];
      out[i * f + j] = prep.standardize ? (v - mean) / std : v;
    }
  }
  return out;
}

/**
 * Reads one raw value of a prediction row: a number, a numeric string, or null/'' for missing.
 * @throws AppError BAD_USER_INPUT naming the row, the feature and the value.
 */
export function readNumeric(value: unknown, feature: string, rowIndex: number): number {
  if (value === null || value === undefined || value === '') return NaN;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  if (!Number.isFinite(n)) {
    throw badInput(`rows[${rowIndex}].${feature} must be a number, got ${quote(value)}`, { row: rowIndex, feature });
  }
  return n;
}

/**
 * Turns prediction rows (objects keyed by feature name) into raw feature rows.
 * @throws AppError BAD_USER_INPUT for a row that is not an object, misses a feature or names an
 *   unknown one, or holds a non-numeric value.
 */
export function readRows(rows: unknown[], prep: Preprocessing): Float64Array[] {
  const names = prep.features.map((f) => f.name);
  const known = new Set(names);
  return rows.map((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw badInput(`rows[${i}] must be an object keyed by feature name, got ${quote(row)}`);
    }
    const record = row as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!known.has(key) && key !== prep.target.name) {
        throw badInput(`rows[${i}] has unknown feature '${key}'${didYouMean(key, names)}; the model takes ${names.join(', ')}`, {
          row: i,
          feature: key,
        });
      }
    }
    const out = new Float64Array(names.length);
    names.forEach((name, j) => {
      if (!(name in record)) throw badInput(`rows[${i}] is missing feature '${name}'`, { row: i, feature: name });
      out[j] = readNumeric(record[name], name, i);
    });
    return out;
  });
}
