/**
 * One model version: test metrics, the confusion matrix as a heat map (classifiers), the ROC curve
 * (binary) or predicted-against-actual and residual plots (regression), feature
 * importances, aliases and stage (set an alias, move the stage), and the predict playground.
 */
import { useState } from 'preact/hooks';
import { gql } from '../api';
import { Bars } from '../charts/bars';
import { ConfusionMatrix } from '../charts/heatmap';
import { MulticlassRocChart, RegressionCharts, RocChart } from '../charts/test-curves';
import { ErrorBox, Loaded, num } from '../ui';
import { useAction } from '../use-action';
import { ConsoleSetAliasDocument, ConsoleStageDocument, ConsoleVersionDocument, type ConsoleVersionQuery, type ModelStage } from '../generated/graphql';
import { useQuery } from '../use-query';
import { Playground } from './predict';

const METRICS = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'ovrMacroAuc', 'logLoss', 'macroF1', 'mse', 'rmse', 'mae', 'r2'] as const;

type Version = ConsoleVersionQuery['modelVersion'];

function Registry({ v, reload }: { v: Version; reload: () => void }) {
  const [alias, setAlias] = useState('production');
  const [stage, setStage] = useState(v.stage);
  const { error, run: act } = useAction();
  const run = (p: () => Promise<unknown>) => act(async () => (await p(), reload()));
  return (
    <section aria-labelledby="registry">
      <h2 id="registry">Aliases and stage</h2>
      <p>
        Stage <strong>{v.stage}</strong>; aliases: {v.aliases.length ? v.aliases.join(', ') : 'none'}.
      </p>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          // Calls that name the alias are served by this version at once: confirm first.
          if (!confirm(`Point alias '${alias}' of ${v.modelName} at v${v.version}? Calls that use it are served by this version from now on.`)) return;
          void run(() => gql(ConsoleSetAliasDocument, { model: v.modelName, alias, version: v.version }));
        }}
      >
        <label for="alias">Alias</label>
        <input id="alias" value={alias} onInput={(e) => setAlias(e.currentTarget.value)} />
        <button type="submit">Point alias here</button>
      </form>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (stage === 'PRODUCTION' && !confirm(`Move ${v.modelName} v${v.version} to PRODUCTION?`)) return;
          void run(() => gql(ConsoleStageDocument, { versionId: v.id, stage }));
        }}
      >
        <label for="stage">Stage</label>
        <select id="stage" value={stage} onChange={(e) => setStage(e.currentTarget.value as ModelStage)}>
          {['NONE', 'STAGING', 'PRODUCTION', 'ARCHIVED'].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <button type="submit">Move stage</button>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}

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
            {v.featureImportances?.length ? <Bars title="Feature importance" bars={v.featureImportances.map((f) => ({ label: f.input, value: f.importance }))} /> : null}
            <Registry v={v} reload={q.reload} />
            <Playground version={v} />
          </>
        );
      }}
    </Loaded>
  );
}
