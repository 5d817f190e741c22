/**
 * A sweep's objective: which number ranks its trials, read from a version's test metrics when a
 * trial has finished and from its epochs while it trains; plus the early-stopping rule (pure).
 */

/** Objective metrics: keys of a version's test metrics (src/ml/evaluate.ts). */
export const OBJECTIVE_METRICS = ['ACCURACY', 'ROC_AUC', 'F1', 'PRECISION', 'RECALL', 'LOG_LOSS', 'MSE', 'RMSE', 'MAE', 'R2'] as const;
/** One of {@link OBJECTIVE_METRICS}. */
export type ObjectiveMetric = (typeof OBJECTIVE_METRICS)[number];
/** Whether larger or smaller is better. */
export type Direction = 'MAXIMIZE' | 'MINIMIZE';

/** A sweep's objective. */
export interface Objective {
  metric: ObjectiveMetric;
  direction: Direction;
}

/** The version-metrics key of each objective metric. */
const VERSION_KEY: Record<ObjectiveMetric, string> = {
  ACCURACY: 'accuracy',
  ROC_AUC: 'rocAuc',
  F1: 'f1',
  PRECISION: 'precision',
  RECALL: 'recall',
  LOG_LOSS: 'logLoss',
  MSE: 'mse',
  RMSE: 'rmse',
  MAE: 'mae',
  R2: 'r2',
};

/** The objective on a version's test metrics, or null when the version does not report it. */
export function finalValue(metric: ObjectiveMetric, versionMetrics: unknown): number | null {
  const v = (versionMetrics as Record<string, unknown> | null)?.[VERSION_KEY[metric]];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The stored metrics of one epoch (EpochMetric). */
export interface EpochScores {
  epoch: number;
  loss: number;
  accuracy?: number | null;
  valLoss?: number | null;
  valAccuracy?: number | null;
  metrics?: unknown;
}

/**
 * The objective's stand-in while a trial trains: the validation figure when the spec has a
 * validation split, else the training one (ACCURACY → valAccuracy/accuracy, LOG_LOSS →
 * valLoss/loss (a classifier's cross-entropy), MSE/MAE/ROC_AUC → Keras' val_mse/mse, val_mae/mae,
 * val_auc/auc, RMSE → √mse). Null for metrics no epoch reports (F1, precision, recall, R2).
 */
export function epochValue(metric: ObjectiveMetric, e: EpochScores): number | null {
  const extra = (e.metrics ?? {}) as Record<string, number | undefined>;
  const keras = (k: string) => extra[`val_${k}`] ?? extra[k] ?? null;
  const pick = (): number | null | undefined => {
    switch (metric) {
      case 'ACCURACY':
        return e.valAccuracy ?? e.accuracy;
      case 'LOG_LOSS':
        return e.valLoss ?? e.loss;
      case 'MSE':
        return keras('mse');
      case 'RMSE': {
        const mse = keras('mse');
        return mse == null ? null : Math.sqrt(mse);
      }
      case 'MAE':
        return keras('mae');
      case 'ROC_AUC':
        return keras('auc');
      default:
        return null;
    }
  };
  const v = pick();
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Whether `a` is strictly better than `b` in `direction`. */
export const better = (direction: Direction, a: number, b: number): boolean => (direction === 'MAXIMIZE' ? a > b : a < b);

/** Sorts best first; nulls last; ties keep their order (the trial index). */
export function compareObjective(direction: Direction, a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return direction === 'MAXIMIZE' ? b - a : a - b;
}

/** Finished trials needed before the early-stopping rule stops anything. */
export const EARLY_STOP_MIN_FINISHED = 3;

/**
 * The median stopping rule (Golovin et al., "Google Vizier: A Service for Black-Box
 * Optimization", KDD 2017, §3.2.2): a trial that has reported epochs 1..e is stopped when its best
 * objective so far is strictly worse than the median, over at least {@link EARLY_STOP_MIN_FINISHED}
 * finished trials of the same rung, of their running averages over epochs 1..e. Finished trials
 * that did not reach epoch e average what they reported.
 * A trial that has reported all its epochs is never stopped: its run is writing its version.
 * @param curve the running trial's per-epoch objective values, epoch 1 first.
 * @param finished the finished trials' curves.
 * @param epochs the trial's epochs in all (null: unknown).
 */
export function shouldStopEarly(direction: Direction, curve: readonly (number | null)[], finished: readonly (readonly (number | null)[])[], epochs: number | null = null): boolean {
  const e = curve.length;
  const own = curve.filter((v): v is number => v !== null);
  if (e === 0 || own.length === 0 || (epochs !== null && e >= epochs)) return false;
  const averages = finished
    .map((c) => c.slice(0, e).filter((v): v is number => v !== null))
    .filter((c) => c.length > 0)
    .map((c) => c.reduce((s, v) => s + v, 0) / c.length);
  if (averages.length < EARLY_STOP_MIN_FINISHED) return false;
  averages.sort((a, b) => a - b);
  const mid = averages.length >> 1;
  const median = averages.length % 2 ? averages[mid] : (averages[mid - 1] + averages[mid]) / 2;
  const best = direction === 'MAXIMIZE' ? Math.max(...own) : Math.min(...own);
  return better(direction, median, best);
}

/**
 * Successive halving (Jamieson & Talwalkar 2016; Li et al., Hyperband, 2018): after rung r
 * (epochs e_r = minEpochs·η^r, capped at the base spec's epochs) every trial has ended, the best
 * ⌊survivors/η⌋ (at least 1) of its succeeded trials go on to rung r + 1, each as a new training
 * run with e_{r+1} epochs, trained from scratch. It stops after a rung that trained the base
 * spec's epochs or kept a single configuration.
 * @returns the next rung's epochs and how many configurations it keeps, or null when done.
 */
export function nextRung(eta: number, rungEpochs: number, maxEpochs: number, succeeded: number): { epochs: number; keep: number } | null {
  if (rungEpochs >= maxEpochs || succeeded <= 1) return null;
  return { epochs: Math.min(maxEpochs, rungEpochs * eta), keep: Math.max(1, Math.floor(succeeded / eta)) };
}
