/** Small checks shared by the spec's normalisation (src/ml/spec.ts) and each family's. */
import { badInput, notFinite } from '../lib/errors';
import { LIMITS, type EarlyStoppingSpec, type TrainingSpec } from './spec-types';

/**
 * Checks a numeric spec field.
 * @param field the path after `spec.` (e.g. `layers[1].units`), for the message.
 * @throws AppError BAD_USER_INPUT `spec.<field> must be an integer in [lo, hi], got <v>`.
 */
export function range(field: string, v: number, lo: number, hi: number, integer = true): void {
  if (typeof v === 'number' && !Number.isFinite(v)) throw notFinite(`spec.${field}`, v);
  if (!Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw badInput(`spec.${field} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${v}`);
  }
}

/** A deep plain copy (no GraphQL input class instances), safe to store as JSON. */
export const plain = <T>(v: T): T => (v == null ? v : JSON.parse(JSON.stringify(v)));

/**
 * Keras EarlyStopping's fields with their defaults (monitor val_loss, patience 5, minDelta 0,
 * restoreBestWeights true). Also used by gradient boosting, which watches val_loss per round.
 * @throws AppError BAD_USER_INPUT for out-of-range values, a validation monitor without
 *   validation rows, or an accuracy monitor without the ACCURACY metric.
 */
export function normalizeEarlyStopping(e: Partial<EarlyStoppingSpec>, spec: TrainingSpec): EarlyStoppingSpec {
  const out: EarlyStoppingSpec = { monitor: e.monitor ?? 'val_loss', patience: e.patience ?? 5, minDelta: e.minDelta ?? 0, restoreBestWeights: e.restoreBestWeights ?? true };
  range('earlyStopping.patience', out.patience, 0, LIMITS.maxEpochs);
  range('earlyStopping.minDelta', out.minDelta, 0, 1e6, false);
  if (out.monitor.startsWith('val_') && spec.validationSplit === 0) {
    throw badInput(`spec.earlyStopping.monitor ${out.monitor.toUpperCase()} needs validation rows: set spec.validationSplit above 0`);
  }
  if (out.monitor.endsWith('accuracy') && !spec.metrics.includes('accuracy')) {
    throw badInput(`spec.earlyStopping.monitor ${out.monitor.toUpperCase()} needs ACCURACY in spec.metrics`);
  }
  return out;
}
