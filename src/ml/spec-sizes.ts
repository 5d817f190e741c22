/**
 * Caps on the lists and free-text fields of a training spec and of upload options, checked before
 * anything walks them, so a spec of a million boundaries or steps is refused at once instead of
 * costing memory and time (and a message that echoes it all). Layers have their own cap,
 * LIMITS.maxLayers, checked by the network family.
 */
import { badInput } from '../lib/errors';
import type { SpecInput } from './spec-types';

/** Most entries per list, and longest free-text values. */
export const SIZE_LIMITS = {
  /** spec.preprocessing.steps */
  steps: 100,
  /** spec.preprocessing.steps[i].columns, and startTrainingRun's featureColumns */
  columns: 10_000,
  /** spec.preprocessing.steps[i].boundaries: each adds a model input (bins are capped at 100). */
  boundaries: 1_000,
  /** missingValues entries (spec.preprocessing and uploadDataset) */
  missingValues: 1_000,
  /** missingValues[i].values */
  missingCodes: 1_000,
  /** spec.classWeights */
  classWeights: 1_000,
  /** spec.metrics (there are only a few distinct metrics) */
  metrics: 20,
  /** fillValue, labelSuffix, and each missing-value code, characters */
  text: 1_000,
} as const;

/** @throws AppError BAD_USER_INPUT `<field> has <n> entries; at most <max>` when `list` is longer than `max`. */
export function checkCount(field: string, list: readonly unknown[] | null | undefined, max: number): void {
  if (list && list.length > max) throw badInput(`${field} has ${list.length} entries; at most ${max}`);
}

/** @throws AppError BAD_USER_INPUT `<field> is <n> characters long; at most <max>`. */
export function checkLength(field: string, text: string | null | undefined, max: number = SIZE_LIMITS.text): void {
  if (text != null && text.length > max) throw badInput(`${field} is ${text.length} characters long; at most ${max}`);
}

/** Checks a list of missing-value declarations (`{ column?, values[] }`). */
export function checkMissingValuesSizes(field: string, list: readonly { column?: string | null; values: readonly string[] }[] | null | undefined): void {
  checkCount(field, list, SIZE_LIMITS.missingValues);
  list?.forEach((m, i) => {
    checkLength(`${field}[${i}].column`, m.column);
    checkCount(`${field}[${i}].values`, m.values, SIZE_LIMITS.missingCodes);
    m.values.forEach((v, k) => checkLength(`${field}[${i}].values[${k}]`, v));
  });
}

/**
 * Checks every list and free-text field of a spec against {@link SIZE_LIMITS}.
 * @throws AppError BAD_USER_INPUT naming the field (e.g. `spec.preprocessing.steps[0].boundaries`), its size and the cap.
 */
export function checkSpecSizes(input: SpecInput): void {
  checkCount('spec.metrics', input.metrics, SIZE_LIMITS.metrics);
  checkCount('spec.classWeights', input.classWeights, SIZE_LIMITS.classWeights);
  const pre = input.preprocessing;
  if (!pre) return;
  checkLength('spec.preprocessing.labelSuffix', pre.labelSuffix);
  checkMissingValuesSizes('spec.preprocessing.missingValues', pre.missingValues);
  checkCount('spec.preprocessing.steps', pre.steps, SIZE_LIMITS.steps);
  pre.steps?.forEach((s, i) => {
    const at = `spec.preprocessing.steps[${i}]`;
    checkCount(`${at}.columns`, s.columns, SIZE_LIMITS.columns);
    checkCount(`${at}.boundaries`, s.boundaries, SIZE_LIMITS.boundaries);
    checkLength(`${at}.fillValue`, s.fillValue);
  });
}
