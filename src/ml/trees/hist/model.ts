/**
 * The trained model: plain data (numbers, strings and typed arrays), stored with codec.ts.
 */
import type { HistKind, HistTask } from './params';
import type { HistTree } from './tree';

export interface HistModel {
  kind: HistKind;
  task: HistTask;
  /** Classification: number of classes. */
  classCount?: number;
  /** Number of model inputs (columns of x). */
  inputs: number;
  /**
   * Gradient boosting: raw score before any tree, one per boosted output (binary: the prior
   * log-odds; multiclass: log class priors [K]; regression: the mean). Trees: [].
   */
  baseScore: number[];
  /** Gradient boosting: the shrinkage used (already applied to the leaf values), for the record. */
  learningRate?: number;
  /**
   * Gradient boosting: rounds × outputs trees, round-major (multiclass tree t serves class t % K).
   * Forest: one tree per estimator; decision tree: one.
   */
  trees: HistTree[];
  /** Gradient boosting with early stopping: the round (1-based) with the best validation loss, kept as the last one. */
  bestRound?: number;
  /** Rounds kept (boosting rounds or forest trees). */
  rounds: number;
  /** Per input: share of the total split gain (impurity decrease for DT/RF); sums to 1, or all 0 without splits. */
  gainImportances: number[];
}

/** Outputs of the model: K for multiclass, else 1. */
export const outputsOf = (m: Pick<HistModel, 'task' | 'classCount'>) => (m.task === 'multiclass' ? m.classCount! : 1);

/** Values per tree node: K class frequencies for classification DT/RF, else 1. */
export const leafWidth = (m: Pick<HistModel, 'kind' | 'task' | 'classCount'>) => (m.kind !== 'gradient_boosting' && m.task !== 'regression' ? m.classCount! : 1);

/** Scales gains to shares summing to 1 (all 0 when there was no split). */
export function normalizeImportances(gains: Float64Array): number[] {
  let sum = 0;
  for (const g of gains) sum += g;
  return Array.from(gains, (g) => (sum > 0 ? g / sum : 0));
}
