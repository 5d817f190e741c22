/**
 * One training run: status, and its curves (run-results.tsx): the epochs so far from
 * `metricHistory` (down-sampled to about one point per pixel of a chart), then each new epoch from
 * the `trainingProgress` subscription (asked for the epochs after those only), and the history read
 * again at the end (an epoch finished while the run was being cancelled arrives after its FINAL
 * event); a tree or forest's final metrics instead of curves; cancel while queued or running; a
 * link to the model version.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, gql, subscribe } from '../api';
import { addEpoch, fromHistory, type Curves } from '../charts/curves';
import { href } from '../router';
import { ErrorBox, Loaded, plural } from '../ui';
import { ConsoleCancelDocument, ConsoleProgressDocument, ConsoleRunDocument, ConsoleRunHistoryDocument, type ConsoleRunQuery } from '../generated/graphql';
import { useQuery } from '../use-query';
import { FinalMetrics, progressOf, RunCurves } from './run-results';

type Run = ConsoleRunQuery['trainingRun'];

const DONE = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Points per curve to ask metricHistory for: about one per pixel of the widest chart (260–900 px, line-chart.tsx). */
const chartSamples = () => Math.round(Math.min(900, Math.max(260, document.getElementById('main')?.clientWidth ?? 900)));

function Live({ run, history, samples }: { run: Run; history: ConsoleRunQuery['metricHistory']; samples: number }) {
  const progress = progressOf(run.spec);
  const [curves, setCurves] = useState<Curves>(() => fromHistory(history));
  const [status, setStatus] = useState(run.status);
  const [failure, setFailure] = useState(run.failureMessage ? `${run.failureCode}: ${run.failureMessage}` : '');
  const [version, setVersion] = useState(run.modelVersion);
  const [epochs, setEpochs] = useState<number | null>(typeof run.spec.epochs === 'number' ? run.spec.epochs : null);
  const [error, setError] = useState<ApiError | null>(null);
  const [eta, setEta] = useState<number | null>(null);
  const [step, setStep] = useState<{ step: number; steps: number; unit: string } | null>(null);
  const [notice, setNotice] = useState<string>('');

  useEffect(
    () =>
      subscribe(
        ConsoleProgressDocument,
        { runId: run.id, afterEpoch: fromHistory(history).last },
        {
          next: ({ trainingProgress: p }) => {
            setStatus(p.status);
            if (p.epochs) setEpochs(p.epochs);
            if (p.kind !== 'FINAL' && !p.replayed) setEta(p.etaSeconds);
            if (p.kind === 'PROGRESS' && p.step != null && p.steps != null) setStep({ step: p.step, steps: p.steps, unit: p.stepUnit ?? 'step' });
            if (p.kind === 'REQUEUED') {
              // Back in the queue: the run starts over from epoch 1, so the curves start over too.
              setCurves(fromHistory([]));
              setStep(null);
              setEta(null);
              setNotice(p.reason ?? 'The run went back to the queue');
            }
            if (p.kind === 'EPOCH') setNotice('');
            if (p.kind === 'EPOCH' && p.epoch != null) setCurves((old) => addEpoch(old, { ...p, epoch: p.epoch! }));
            if (p.modelVersion) setVersion(p.modelVersion);
            if (p.failureMessage) setFailure(`${p.failureCode}: ${p.failureMessage}`);
            if (p.kind === 'FINAL') {
              setEta(null);
              // Epochs stored after the stream's end (the one finishing as the run was cancelled) are in the history.
              gql(ConsoleRunHistoryDocument, { id: run.id, samples })
                .then((h) => setCurves(fromHistory(h.metricHistory)))
                .catch(setError);
            }
          },
          error: setError,
        },
      ),
    [run.id],
  );

  async function cancel() {
    try {
      const { cancelTrainingRun } = await gql(ConsoleCancelDocument, { id: run.id });
      setStatus(cancelTrainingRun.status);
    } catch (err) {
      setError(err as ApiError);
    }
  }

  const done = DONE.has(status);
  const unit = progress === 'round' ? 'round' : 'epoch';
  return (
    <>
      <p aria-live="polite">
        Status: <span class={`status ${status.toLowerCase()}`}>{status}</span>
        {progress !== 'one-pass' ? <span class="epochs">{` · ${curves.last} of ${epochs == null ? `? ${unit}s` : plural(epochs, unit)}`}</span> : null}
        {step && !done ? <span class="steps">{` · ${step.step} of ${plural(step.steps, step.unit)}`}</span> : null}
        {eta != null && !done ? <span class="eta">{` · about ${Math.round(eta)} s left`}</span> : null}
      </p>
      {step && !done ? <progress value={step.step} max={step.steps} aria-label={`${step.unit}s built`} /> : null}
      {failure ? <p class="error">{failure}</p> : null}
      {notice && !done ? <p class="notice">{notice}</p> : null}
      {!done ? (
        <button type="button" class="danger" onClick={cancel}>
          Cancel run
        </button>
      ) : null}
      {version ? (
        <p>
          Trained model: <a href={href('versions', version.id)}>{`${run.modelName} v${version.version}`}</a>
        </p>
      ) : null}
      <ErrorBox error={error} />
      {progress === 'one-pass' ? <FinalMetrics curves={curves} version={done ? version : null} done={done} /> : <RunCurves curves={curves} unit={unit} />}
    </>
  );
}

/** The run page. */
export function RunPage({ id }: { id: string }) {
  const [samples] = useState(chartSamples);
  const q = useQuery(ConsoleRunDocument, { id, samples });
  return (
    <Loaded {...q}>
      {() => {
        const { trainingRun: run, metricHistory } = q.data!;
        return (
          <>
            <h1>Run of {run.modelName}</h1>
            <p>
              Target <code>{run.targetColumn}</code> on {run.dataset ? <a href={href('datasets', run.dataset.id)}>{run.dataset.name}</a> : 'a deleted dataset'}.
            </p>
            <Live key={run.id} run={run} history={metricHistory} samples={samples} />
          </>
        );
      }}
    </Loaded>
  );
}
