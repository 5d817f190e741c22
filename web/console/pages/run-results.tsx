/**
 * What a run page shows of a run's numbers, by model kind: a network's loss and accuracy curves by
 * epoch, gradient boosting's by round (both from charts/curves.ts); a decision tree or a random
 * forest trains in one pass (its progress is trees built, not epochs), so its final metrics as a
 * table instead: the training split's loss and accuracy, and the version's test metrics.
 */
import { useMemo } from 'preact/hooks';
import { chartData, type CurveKey, type Curves } from '../charts/curves';
import { LineChart } from '../charts/line-chart';
import type { ConsoleRunVersionFragment } from '../generated/graphql';
import { num } from '../ui';

/** How a model kind (`spec.model`) reports progress: epochs (networks), boosting rounds, or one pass (trees, forests). */
export type Progress = 'epoch' | 'round' | 'one-pass';

/** The progress kind of a run's stored spec. */
export function progressOf(spec: Record<string, unknown>): Progress {
  if (spec.model === 'gradient_boosting') return 'round';
  return spec.model === 'decision_tree' || spec.model === 'random_forest' ? 'one-pass' : 'epoch';
}

const LABELS: Record<CurveKey, string> = { loss: 'train loss', valLoss: 'validation loss', accuracy: 'train accuracy', valAccuracy: 'validation accuracy' };

/** The loss and accuracy charts (by epoch or by boosting round). */
export function RunCurves({ curves, unit }: { curves: Curves; unit: 'epoch' | 'round' }) {
  const losses = useMemo(() => chartData(curves, ['loss', 'valLoss'], LABELS), [curves]);
  const accuracies = useMemo(() => chartData(curves, ['accuracy', 'valAccuracy'], LABELS), [curves]);
  const by = unit === 'epoch' ? 'by epoch' : 'by boosting round';
  return (
    <div class="charts">
      <LineChart title={`Loss ${by}`} unit={unit} total={curves.last} {...losses} />
      {accuracies.curves.length ? <LineChart title={`Accuracy ${by}`} unit={unit} total={curves.last} yRange={[0, 1]} {...accuracies} /> : null}
    </div>
  );
}

type TestMetric = Exclude<keyof ConsoleRunVersionFragment['metrics'], 'task' | 'testRows'>;
const TEST_METRICS: TestMetric[] = ['accuracy', 'f1', 'rocAuc', 'logLoss', 'rmse', 'mae', 'r2'];

/** A one-pass run's numbers once fitted: the training split's from its one stored epoch, the test split's from its version (`done`: the run has ended). */
export function FinalMetrics({ curves, version, done }: { curves: Curves; version: ConsoleRunVersionFragment | null; done: boolean }) {
  const at = (key: CurveKey) => curves.values[key].get(curves.last);
  const m = version?.metrics;
  const lossName = m ? (m.task === 'regression' ? 'mean squared error' : 'log loss') : 'loss';
  const rows: [string, number | null | undefined][] = [
    [`training ${lossName}`, at('loss')],
    ['training accuracy', at('accuracy')],
    ...(m ? ([['test rows', m.testRows], ...TEST_METRICS.map((k) => [`test ${k}`, m[k]])] as [string, number | null][]) : []),
  ];
  const shown = rows.filter(([, v]) => v != null);
  return (
    <section aria-labelledby="final-metrics">
      <h2 id="final-metrics">Final metrics</h2>
      {shown.length ? (
        <table>
          <caption class="visually-hidden">Final metrics of the run</caption>
          <tbody>
            {shown.map(([name, v]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{num(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{done ? 'None: the run ended before its fit did.' : 'None yet: a tree or forest is fitted in one pass, and its metrics come at the end.'}</p>
      )}
    </section>
  );
}
