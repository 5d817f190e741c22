/**
 * A version's test-split charts: a binary classifier's ROC curve (against the chance diagonal), a
 * multiclass classifier's one-vs-rest ROC curves (one line per class), and a regressor's predicted
 * against actual (against y = x) and residuals against predicted; where the API has none, why not.
 */
import { useMemo } from 'preact/hooks';
import { num } from '../ui';
import { XyChart } from './xy-chart';

/** A point of the ROC curve, as `VersionMetrics.rocCurve` answers it. */
export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number;
}

/** One class's one-vs-rest curve, as `VersionMetrics.classRocCurves` answers it. */
export interface ClassRocCurve {
  class: string;
  auc: number;
  points: RocPoint[];
}

/**
 * The one-vs-rest ROC curves on one chart. uPlot shares one x array among series, so x holds every
 * class's points (by fpr; a class's own points keep their order at equal fpr, so vertical steps
 * stay) and each class's series has its values at its own points only, joined across the others.
 */
export function MulticlassRocChart({ curves, macroAuc }: { curves: ClassRocCurve[]; macroAuc?: number | null }) {
  const data = useMemo(() => {
    const all = curves.flatMap((c, k) => c.points.map((p, i) => ({ k, i, p })));
    all.sort((a, b) => a.p.fpr - b.p.fpr || a.k - b.k || a.i - b.i);
    const x = all.map((e) => e.p.fpr);
    return {
      x,
      series: [
        ...curves.map((c, k) => ({ label: `${c.class} (AUC ${num(c.auc, 3)})`, values: all.map((e) => (e.k === k ? e.p.tpr : null)), spanGaps: true })),
        { label: 'chance', values: x, dash: true },
      ],
      rows: curves.flatMap((c) => c.points.map((p) => [c.class, p.threshold, p.fpr, p.tpr])),
    };
  }, [curves]);
  const aucs = curves.map((c) => `${c.class} ${num(c.auc, 3)}`).join(', ');
  return (
    <XyChart
      title="ROC curves, one class against the rest (test split)"
      xLabel="false positive rate"
      yLabel="true positive rate"
      x={data.x}
      series={data.series}
      summary={`${curves.length} classes${macroAuc != null ? `, macro-average area ${num(macroAuc)}` : ''}; area per class: ${aucs}`}
      table={{ columns: ['Class', 'Threshold', 'False positive rate', 'True positive rate'], rows: data.rows }}
    />
  );
}

/** A regressor's test row, as `VersionMetrics.testPredictions` answers it (`actual` null without datasets:read). */
export interface ActualPredicted {
  actual: number | null;
  predicted: number;
}

/** The ROC curve, its area in the summary (`auc`, the stored test ROC AUC). */
export function RocChart({ points, auc }: { points: RocPoint[]; auc?: number | null }) {
  const data = useMemo(() => {
    const x = points.map((p) => p.fpr);
    return {
      x,
      series: [
        { label: 'ROC curve (TPR)', values: points.map((p) => p.tpr) },
        { label: 'chance', values: x, dash: true },
      ],
      rows: points.map((p) => [p.threshold, p.fpr, p.tpr]),
    };
  }, [points]);
  return (
    <XyChart
      title="ROC curve (test split)"
      xLabel="false positive rate"
      yLabel="true positive rate"
      x={data.x}
      series={data.series}
      summary={`${points.length} points from (0, 0) to (1, 1)${auc != null ? `, area ${num(auc)}` : ''}`}
      table={{ columns: ['Threshold', 'False positive rate', 'True positive rate'], rows: data.rows }}
    />
  );
}

/**
 * Predicted against actual, and residuals (actual − predicted) against predicted; a note instead when
 * the key may not read the actual values (stored target cells need datasets:read).
 */
export function RegressionCharts({ rows: sent, target }: { rows: ActualPredicted[]; target: string }) {
  const rows = useMemo(() => sent.filter((r): r is { actual: number; predicted: number } => r.actual != null), [sent]);
  const data = useMemo(() => {
    const byActual = [...rows].sort((a, b) => a.actual - b.actual);
    const byPredicted = [...rows].sort((a, b) => a.predicted - b.predicted);
    const x = byActual.map((r) => r.actual);
    const px = byPredicted.map((r) => r.predicted);
    return {
      fit: {
        x,
        series: [
          { label: 'predicted', values: byActual.map((r) => r.predicted), dots: true },
          { label: 'y = x', values: x, dash: true },
        ],
      },
      residuals: {
        x: px,
        series: [
          { label: 'residual', values: byPredicted.map((r) => r.actual - r.predicted), dots: true },
          { label: 'zero', values: px.map(() => 0), dash: true },
        ],
      },
      table: byActual.map((r) => [r.actual, r.predicted, r.actual - r.predicted]),
    };
  }, [rows]);
  if (!rows.length) return <p class="muted">Predicted against actual {target}: the actual values are cells of the dataset, shown to a key with datasets:read.</p>;
  const table = { columns: ['Actual', 'Predicted', 'Residual'], rows: data.table };
  const n = `${rows.length} test rows`;
  return (
    <div class="charts">
      <XyChart title={`Predicted against actual ${target}`} xLabel="actual" yLabel="predicted" {...data.fit} summary={`${n}; on the dashed line when exact`} table={table} />
      <XyChart title="Residuals (actual − predicted)" xLabel="predicted" yLabel="residual" {...data.residuals} summary={`${n}; zero when exact`} table={table} />
    </div>
  );
}

/** What the version page would draw for a task. */
const CURVES_OF: Record<string, string> = {
  binary: 'ROC curve',
  multiclass: 'One-vs-rest ROC curves',
  regression: 'Predicted-against-actual and residual plots',
};

/** Why, in words, for each `VersionMetrics.curvesUnavailableReason`. */
const WHY: Record<string, string> = {
  NOT_RECORDED: 'this version was trained before the platform stored test curves. Train it again to get them.',
  ONE_CLASS_IN_TEST: 'its test rows hold one class only, so no true or false positive rate can be computed.',
  TOO_MANY_CLASSES: 'it has more than 50 classes; only the macro-average AUC (ovrMacroAuc) is kept.',
  NO_TEST_ROWS: 'nothing was scored on a test split (an uploaded model, or a run without one).',
};

/** In place of the test curves the server could not give: which they are and why (`reason`, as the API answers it). */
export function CurvesUnavailable({ task, reason }: { task: string; reason: string }) {
  const what = CURVES_OF[task] ?? 'Test curves';
  return (
    <section aria-labelledby="curves-unavailable">
      <h2 id="curves-unavailable">{what}</h2>
      <p>
        Not available: {WHY[reason] ?? reason} <small>({reason})</small>
      </p>
    </section>
  );
}
