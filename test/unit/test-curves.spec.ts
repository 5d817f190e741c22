/**
 * The curves stored with a version's test metrics (src/ml/test-curves.ts): the ROC curve against
 * scikit-learn's roc_curve(drop_intermediate=False) values, its area against rocAuc, the thinning,
 * regressors' (actual, predicted) sample, and why a version's curve is absent.
 */
import { evaluate, rocAuc } from '../../src/ml/evaluate';
import type { Task } from '../../src/ml/spec-types';
import { curvesUnavailable, MAX_ROC_CLASSES, oneVsRestCurves, predictionSample, rocCurve, testCurves } from '../../src/ml/test-curves';

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
  expect(testCurves('multiclass', [0.7, 0.3], [0], 1)).toEqual({}); // no classes given
  expect(testCurves('multiclass', [0.7, 0.3], [0], 1, ['a', 'b'])).toEqual({}); // one class in the rows: no rate
  expect(testCurves('binary', [], [], 0)).toEqual({});
});

/**
 * Reference figures from scikit-learn 1.2.1 (Debian python3-sklearn), for these 8 rows:
 *   for c in range(3): roc_curve(y == c, p[:, c], drop_intermediate=False); roc_auc_score(y == c, p[:, c])
 *   roc_auc_score(y, p, multi_class='ovr', average='macro')  # 0.8444444444444444
 * scikit-learn's first threshold is max(score) + 1; ours is 1 (a probability: no row called positive).
 */
const P = [
  [0.7, 0.2, 0.1],
  [0.2, 0.5, 0.3],
  [0.1, 0.3, 0.6],
  [0.4, 0.4, 0.2],
  [0.3, 0.3, 0.4],
  [0.6, 0.1, 0.3],
  [0.2, 0.6, 0.2],
  [0.1, 0.2, 0.7],
];
const Y = [0, 1, 2, 1, 0, 0, 2, 2];
const SKLEARN = [
  { fpr: [0, 0, 0, 0.2, 0.2, 0.6, 1], tpr: [0, 1 / 3, 2 / 3, 2 / 3, 1, 1, 1], thresholds: [1, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1], auc: 0.9333333333333333 },
  { fpr: [0, 1 / 6, 1 / 6, 1 / 6, 0.5, 5 / 6, 1], tpr: [0, 0, 0.5, 1, 1, 1, 1], thresholds: [1, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1], auc: 0.8333333333333334 },
  { fpr: [0, 0, 0, 0.2, 0.6, 0.8, 1], tpr: [0, 1 / 3, 2 / 3, 2 / 3, 2 / 3, 1, 1], thresholds: [1, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1], auc: 0.7666666666666666 },
];

it("multiclass: one-vs-rest curves and AUCs per class and their macro mean, as scikit-learn's roc_curve and roc_auc_score(multi_class='ovr')", () => {
  const curves = testCurves('multiclass', Float32Array.from(P.flat()), Float32Array.from(Y), 8, ['a', 'b', 'c']);
  expect(curves.classRocCurves!.map((c) => c.class)).toEqual(['a', 'b', 'c']);
  curves.classRocCurves!.forEach((c, k) => {
    const want = SKLEARN[k];
    expect(c.points.map((p) => p.fpr)).toEqual(want.fpr.map((v) => expect.closeTo(v, 12)));
    expect(c.points.map((p) => p.tpr)).toEqual(want.tpr.map((v) => expect.closeTo(v, 12)));
    expect(c.points.map((p) => p.threshold)).toEqual(want.thresholds.map((v) => expect.closeTo(v, 6))); // float32 probabilities
    expect(c.auc).toBeCloseTo(want.auc, 12);
    expect(area(c.points)).toBeCloseTo(want.auc, 12);
  });
  expect(curves.ovrMacroAuc).toBeCloseTo(0.8444444444444444, 12);
});

it('multiclass: a class without test rows is left out of the curves and the mean; past 50 classes only the mean is kept', () => {
  // Class 'd' (index 3) never occurs: 3 curves, the mean of the same three AUCs.
  const four = P.map((row) => [...row.map((v) => v * 0.9), 0.1]);
  const some = oneVsRestCurves(four.flat(), Y, 8, ['a', 'b', 'c', 'd']);
  expect(some.classRocCurves!.map((c) => c.class)).toEqual(['a', 'b', 'c']);
  expect(some.ovrMacroAuc).toBeCloseTo(0.8444444444444444, 12);
  const k = MAX_ROC_CLASSES + 1;
  const rows = 2 * k;
  const probs = Array.from({ length: rows * k }, (_, j) => (Math.floor(j / k) % k === j % k ? 0.9 : 0.1 / (k - 1)));
  const many = oneVsRestCurves(
    probs,
    Array.from({ length: rows }, (_, i) => i % k),
    rows,
    Array.from({ length: k }, (_, c) => `c${c}`),
  );
  expect(many).toEqual({ ovrMacroAuc: 1 });
});

describe('curvesUnavailable: why the stored metrics have no curve', () => {
  /** The metrics the pipeline stores (src/ml/pipeline.ts), through JSON as the database keeps them. */
  const stored = (task: Task, outputs: number[], y: number[], classes?: string[]) => {
    const out = Float32Array.from(outputs);
    const labels = Float32Array.from(y);
    return JSON.parse(JSON.stringify({ ...evaluate(task, out, labels, y.length, classes), ...testCurves(task, out, labels, y.length, classes) }));
  };
  /** The same metrics as a version trained before curves were stored has them. */
  const older = (metrics: Record<string, unknown>) => {
    const { rocCurve: _r, classRocCurves: _c, ovrMacroAuc: _o, testPredictions: _t, ...rest } = metrics;
    return rest as typeof metrics & { task: string };
  };

  it('answers nothing while the curve is there, and NOT_RECORDED for the same metrics without it (every task)', () => {
    const binary = stored('binary', [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    const multiclass = stored('multiclass', P.flat(), Y, ['a', 'b', 'c']);
    const regression = stored('regression', [1.5, 2, 2.9], [1, 2, 3]);
    for (const m of [binary, multiclass, regression]) {
      expect(curvesUnavailable(m)).toBeUndefined();
      expect(curvesUnavailable(older(m))).toBe('not_recorded');
    }
    expect(binary.rocAuc).toBe(0.75); // kept: what tells an old version from a one-class split
  });

  it('ONE_CLASS_IN_TEST when the test rows hold one class, binary or multiclass', () => {
    const binary = stored('binary', [0.1, 0.4, 0.7], [0, 0, 0]);
    expect([binary.rocAuc, binary.rocCurve, curvesUnavailable(binary)]).toEqual([undefined, undefined, 'one_class_in_test']);
    const multiclass = stored('multiclass', [0.8, 0.1, 0.1, 0.6, 0.2, 0.2], [0, 0], ['a', 'b', 'c']);
    expect([multiclass.ovrMacroAuc, curvesUnavailable(multiclass)]).toEqual([undefined, 'one_class_in_test']);
  });

  it('TOO_MANY_CLASSES past 50 classes, NO_TEST_ROWS with nothing scored, nothing for a task without curves', () => {
    const k = MAX_ROC_CLASSES + 1;
    const rows = 2 * k;
    const probs = Array.from({ length: rows * k }, (_, j) => (Math.floor(j / k) % k === j % k ? 0.9 : 0.1 / (k - 1)));
    const classes = Array.from({ length: k }, (_, c) => `c${c}`);
    const many = stored(
      'multiclass',
      probs,
      Array.from({ length: rows }, (_, i) => i % k),
      classes,
    );
    expect([many.ovrMacroAuc, many.classRocCurves, curvesUnavailable(many)]).toEqual([1, undefined, 'too_many_classes']);
    expect(curvesUnavailable({ task: 'binary', testRows: 0 })).toBe('no_test_rows'); // an uploaded ONNX version's metrics
    expect(curvesUnavailable(stored('regression', [], []))).toBe('no_test_rows');
    expect(curvesUnavailable({ task: 'ranking', testRows: 10 })).toBeUndefined();
  });
});
