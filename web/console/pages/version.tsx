/**
 * One model version: test metrics, the confusion matrix as a heat map (classifiers), the ROC curve
 * (binary) or predicted-against-actual and residual plots (regression), feature
 * importances, aliases and stage (set an alias, move the stage, delete an alias, delete the
 * version: version-registry.tsx), and the predict playground.
 */
import { Bars } from '../charts/bars';
import { ConfusionMatrix } from '../charts/heatmap';
import { CurvesUnavailable, MulticlassRocChart, RegressionCharts, RocChart } from '../charts/test-curves';
import { Loaded, num } from '../ui';
import { ConsoleVersionDocument, type ConsoleVersionQuery } from '../generated/graphql';
import { useQuery } from '../use-query';
import { Playground } from './predict';
import { Registry } from './version-registry';

const METRICS = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'ovrMacroAuc', 'logLoss', 'macroF1', 'mse', 'rmse', 'mae', 'r2'] as const;

/** The version page. */
export function VersionPage({ id }: { id: string }) {
  const q = useQuery(ConsoleVersionDocument, { id });
  return (
    <Loaded {...q}>
      {() => {
        const v = q.data!.modelVersion;
        const shown = METRICS.filter((k) => v.metrics[k] != null);
        return (
          <>
            <h1>{`${v.modelName} v${v.version}`}</h1>
            <p>
              {v.task} of <code>{v.target.name}</code> from {v.features.length} columns
              {v.trainingRunId ? (
                <>
                  {' '}
                  (<a href={`#/runs/${v.trainingRunId}`}>training run</a>)
                </>
              ) : null}
              .
            </p>
            <div class="columns">
              <section aria-labelledby="metrics">
                <h2 id="metrics">Test metrics</h2>
                <table>
                  <caption class="visually-hidden">Test metrics on {v.metrics.testRows} held-out rows</caption>
                  <tbody>
                    <tr>
                      <th scope="row">test rows</th>
                      <td>{v.metrics.testRows}</td>
                    </tr>
                    {shown.map((k) => (
                      <tr key={k}>
                        <th scope="row">{k}</th>
                        <td>{num(v.metrics[k])}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              {v.metrics.confusionMatrix ? <ConfusionMatrix matrix={v.metrics.confusionMatrix} classes={v.target.classes ?? []} /> : null}
            </div>
            {v.metrics.rocCurve?.length ? <RocChart points={v.metrics.rocCurve} auc={v.metrics.rocAuc} /> : null}
            {v.metrics.classRocCurves?.length ? <MulticlassRocChart curves={v.metrics.classRocCurves} macroAuc={v.metrics.ovrMacroAuc} /> : null}
            {v.metrics.testPredictions?.length ? <RegressionCharts rows={v.metrics.testPredictions} target={v.target.name} /> : null}
            {v.metrics.curvesUnavailableReason ? <CurvesUnavailable task={v.metrics.task} reason={v.metrics.curvesUnavailableReason} /> : null}
            {v.featureImportances?.length ? <Importances v={v} /> : null}
            <Registry v={v} reload={q.reload} />
            <Playground version={v} />
          </>
        );
      }}
    </Loaded>
  );
}

/**
 * Feature importance as bars, titled by how it was measured: trees by their share of the split gain
 * (IMPURITY, in [0, 1]); networks by permutation (the mean drop of the test metric when one input is
 * shuffled, ± its standard deviation over the shuffles; a drop ≤ 0 means the input did not help).
 */
function Importances({ v }: { v: NonNullable<ConsoleVersionQuery['modelVersion']> }) {
  const permutation = v.featureImportanceMethod === 'PERMUTATION';
  const metric = v.metrics.task === 'REGRESSION' ? 'R²' : 'accuracy';
  const title = permutation ? `Feature importance (permutation: drop in test ${metric} when the input is shuffled)` : 'Feature importance (share of the split gain)';
  const bars = (v.featureImportances ?? []).map((f) => ({ label: permutation && f.std != null ? `${f.input} (± ${num(f.std, 3)})` : f.input, value: f.importance }));
  return <Bars title={title} bars={bars} />;
}
