/**
 * The curves stored with a version's test metrics (src/ml/test-curves.ts): the ROC curve against
 * scikit-learn's roc_curve(drop_intermediate=False) values, its area against rocAuc, the thinning,
 * and regressors' (actual, predicted) sample.
 */
import { rocAuc } from '../../src/ml/evaluate';
import { predictionSample, rocCurve, testCurves } from '../../src/ml/test-curves';

/** Trapezoidal area under a curve of points in ascending fpr. */
const area = (points: { fpr: number; tpr: number }[]) => points.slice(1).reduce((s, p, i) => s + ((p.fpr - points[i].fpr) * (p.tpr + points[i].tpr)) / 2, 0);

it('matches scikit-learn roc_curve: one point per distinct score, from (0, 0) to (1, 1)', () => {
  // sklearn: fpr [0, 0, .5, .5, 1], tpr [0, .5, .5, 1, 1], thresholds [inf, .8, .4, .35, .1]
  expect(rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 4)).toEqual([
    { fpr: 0, tpr: 0, threshold: 1 },
    { fpr: 0, tpr: 0.5, threshold: 0.8 },
    { fpr: 0.5, tpr: 0.5, threshold: 0.4 },
    { fpr: 0.5, tpr: 1, threshold: 0.35 },
    { fpr: 1, tpr: 1, threshold: 0.1 },
  ]);
  // Tied scores are called positive together: one point for both.
  expect(rocCurve([0.5, 0.5, 0.2], [1, 0, 0], 3)).toEqual([
    { fpr: 0, tpr: 0, threshold: 1 },
    { fpr: 0.5, tpr: 1, threshold: 0.5 },
    { fpr: 1, tpr: 1, threshold: 0.2 },
  ]);
});

it('encloses the ROC AUC, is thinned to at most 101 points keeping both ends, and is absent with one class', () => {
  const rows = 1000;
  const actual = Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const scores = Array.from({ length: rows }, (_, i) => ((i * 7919) % 1000) / 1000 / 2 + (actual[i] ? 0.3 : 0));
  const full = rocCurve(scores, actual, rows, Infinity)!;
  expect(area(full)).toBeCloseTo(rocAuc(scores, actual)!, 10);
  const thin = rocCurve(scores, actual, rows)!;
  expect(thin).toHaveLength(101);
  expect(thin[0]).toEqual({ fpr: 0, tpr: 0, threshold: 1 });
  expect(thin[100]).toMatchObject({ fpr: 1, tpr: 1 });
  expect(Math.abs(area(thin) - area(full))).toBeLessThan(0.01);
  expect(rocCurve([0.2, 0.9], [1, 1], 2)).toBeUndefined();
});

it('samples a regressor evenly, first and last rows included; nothing for multiclass or no rows', () => {
  const y = Float32Array.from({ length: 1000 }, (_, i) => i);
  const out = Float32Array.from(y, (v) => v + 0.5);
  const sample = predictionSample(out, y, 1000);
  expect(sample).toHaveLength(200);
  expect(sample[0]).toEqual({ actual: 0, predicted: 0.5 });
  expect(sample[199]).toEqual({ actual: 999, predicted: 999.5 });
  expect(testCurves('regression', out, y, 3)).toEqual({ testPredictions: [0, 1, 2].map((v) => ({ actual: v, predicted: v + 0.5 })) });
  expect(testCurves('binary', [0.7, 0.2], [1, 0], 2).rocCurve).toHaveLength(3);
  expect(testCurves('multiclass', [0.7, 0.3], [0], 1)).toEqual({});
  expect(testCurves('binary', [], [], 0)).toEqual({});
});
