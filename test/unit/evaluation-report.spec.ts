/**
 * The evaluation extras against scikit-learn's documented examples (sklearn.metrics docstrings):
 * average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333…,
 * roc_auc_score on the same = 0.75, brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]) = 0.0375.
 */
import { atThreshold, averagePrecision, evaluationReport, reliability } from '../../src/ml/evaluation-report';

it('matches scikit-learn on its documented examples', () => {
  expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.8333333333, 9);
  const r = evaluationReport('binary', Float32Array.from([0.1, 0.9, 0.8, 0.3]), Float32Array.from([0, 1, 1, 0]), 4, ['0', '1']);
  expect(r.brier).toBeCloseTo(0.0375, 6);
  const auc = evaluationReport('binary', Float32Array.from([0.1, 0.4, 0.35, 0.8]), Float32Array.from([0, 0, 1, 1]), 4, ['0', '1']);
  expect(auc.rocAuc).toBeCloseTo(0.75, 9);
  expect(auc.prAuc).toBeCloseTo(0.8333333333, 6);
});

it('treats tied scores as one threshold and skips classes without positives', () => {
  // All four tied: one threshold, precision 0.5 at recall 1.
  expect(averagePrecision([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
  expect(averagePrecision([0.2, 0.3], [0, 0])).toBeUndefined();
});

it('bins the reliability table (the last bin holds 1) and counts every row', () => {
  const bins = reliability([0, 0.05, 0.1, 0.95, 1], [0, 1, 0, 1, 1]);
  expect(bins.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
  expect(bins[0]).toEqual({ lower: 0, upper: 0.1, meanPredicted: 0.025, observedRate: 0.5, count: 2 });
  expect(bins[2]).toMatchObject({ meanPredicted: null, observedRate: null });
  expect(bins[9].observedRate).toBe(1);
});

it('counts the confusion matrix at a threshold', () => {
  expect(atThreshold([0.2, 0.4, 0.6, 0.35], [0, 1, 1, 0], 0.3)).toEqual({
    threshold: 0.3,
    precision: 2 / 3,
    recall: 1,
    f1: 0.8,
    accuracy: 0.75,
    confusionMatrix: [
      [1, 1],
      [0, 2],
    ],
  });
});

it('multiclass: one-vs-rest macro AUC, Brier over classes, top-class calibration; no threshold metrics', () => {
  const p = Float32Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4, 0.6, 0.2, 0.2]);
  const r = evaluationReport('multiclass', p, Float32Array.from([0, 1, 2, 1]), 4, ['a', 'b', 'c']);
  // Class a: scores 0.8, 0.2, 0.3, 0.6 vs [1,0,0,0] -> 1; b: 0.1, 0.7, 0.3, 0.2 vs [0,1,0,1] -> 3 of 4 pairs = 0.75; c: 0.1, 0.1, 0.4, 0.2 vs [0,0,1,0] -> 1.
  expect(r.ovrMacroAuc).toBeCloseTo((1 + 0.75 + 1) / 3, 6);
  const brier = (0.04 + 0.01 + 0.01 + (0.04 + 0.09 + 0.01) + (0.09 + 0.09 + 0.36) + (0.36 + 0.64 + 0.04)) / 4;
  expect(r.brier).toBeCloseTo(brier, 6);
  expect(r.calibration!.reduce((s, b) => s + b.count, 0)).toBe(4);
  expect(r.atThreshold).toBeUndefined();
  expect(r.accuracy).toBe(0.75);
});
