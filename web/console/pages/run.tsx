/**
 * One training run: status, and loss and accuracy curves (train and validation) that grow an epoch at
 * a time from the `trainingProgress` subscription (which first replays the epochs already done, then
 * sends each new one, then FINAL); cancel while queued or running; a link to the model version.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, gql, subscribe } from '../api';
import { LineChart } from '../charts/line-chart';
import { href } from '../router';
import { ErrorBox, Loaded } from '../ui';
import { ConsoleCancelDocument, ConsoleProgressDocument, ConsoleRunDocument, type ConsoleRunQuery } from '../generated/graphql';
import { useQuery } from '../use-query';

type Run = ConsoleRunQuery['trainingRun'];
/** One epoch's point on the curves, from the run's stored epochs or a live EPOCH event (whose loss may be null). */
interface Point {
  epoch: number;
  loss: number | null;
  valLoss: number | null;
  accuracy: number | null;
  valAccuracy: number | null;
}

const DONE = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

function Live({ run }: { run: Run }) {
  const [points, setPoints] = useState<Map<number, Point>>(() => new Map(run.metrics.map((m) => [m.epoch, m])));
  const [status, setStatus] = useState(run.status);
  const [failure, setFailure] = useState(run.failureMessage ? `${run.failureCode}: ${run.failureMessage}` : '');
  const [version, setVersion] = useState(run.modelVersion);
  const [epochs, setEpochs] = useState<number | null>(typeof run.spec.epochs === 'number' ? run.spec.epochs : null);
  const [error, setError] = useState<ApiError | null>(null);
  const [eta, setEta] = useState<number | null>(null);
  const [step, setStep] = useState<string>('');
  const [notice, setNotice] = useState<string>('');

  useEffect(
    () =>
      subscribe(
        ConsoleProgressDocument,
        { runId: run.id },
        {
          next: ({ trainingProgress: p }) => {
            setStatus(p.status);
            if (p.epochs) setEpochs(p.epochs);
            if (p.kind !== 'FINAL' && !p.replayed) setEta(p.etaSeconds);
            if (p.kind === 'PROGRESS') setStep(`${p.step} of ${p.steps} ${p.stepUnit ?? 'step'}s`);
            if (p.kind === 'FINAL') setEta(null);
            if (p.kind === 'REQUEUED') {
              // Back in the queue: the run starts over from epoch 1, so the curves start over too.
              setPoints(new Map());
              setStep('');
              setEta(null);
              setNotice(p.reason ?? 'The run went back to the queue');
            }
            if (p.kind === 'EPOCH') setNotice('');
            const { epoch, loss, valLoss, accuracy, valAccuracy } = p;
            if (p.kind === 'EPOCH' && epoch != null) setPoints((old) => new Map(old).set(epoch, { epoch, loss, valLoss, accuracy, valAccuracy }));
            if (p.modelVersion) setVersion(p.modelVersion);
            if (p.failureMessage) setFailure(`${p.failureCode}: ${p.failureMessage}`);
          },
          error: setError,
        },
      ),
    [run.id],
  );

  const sorted = useMemo(() => [...points.values()].sort((a, b) => a.epoch - b.epoch), [points]);
  const x = useMemo(() => sorted.map((p) => p.epoch), [sorted]);
  const losses = useMemo(() => {
    const curves = [{ label: 'train loss', values: sorted.map((p) => p.loss) }];
    if (sorted.some((p) => p.valLoss != null)) curves.push({ label: 'validation loss', values: sorted.map((p) => p.valLoss) });
    return curves;
  }, [sorted]);
  const accuracies = useMemo(() => {
    const curves = [];
    if (sorted.some((p) => p.accuracy != null)) curves.push({ label: 'train accuracy', values: sorted.map((p) => p.accuracy) });
    if (sorted.some((p) => p.valAccuracy != null)) curves.push({ label: 'validation accuracy', values: sorted.map((p) => p.valAccuracy) });
    return curves;
  }, [sorted]);

  async function cancel() {
    try {
      const { cancelTrainingRun } = await gql(ConsoleCancelDocument, { id: run.id });
      setStatus(cancelTrainingRun.status);
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <>
      <p aria-live="polite">
        Status: <span class={`status ${status.toLowerCase()}`}>{status}</span> · <span class="epochs">{`${sorted.length} of ${epochs ?? '?'} epochs`}</span>
        {step && !DONE.has(status) ? <span class="steps">{` · ${step}`}</span> : null}
        {eta != null && !DONE.has(status) ? <span class="eta">{` · about ${Math.round(eta)} s left`}</span> : null}
      </p>
      {failure ? <p class="error">{failure}</p> : null}
      {notice && !DONE.has(status) ? <p class="notice">{notice}</p> : null}
      {!DONE.has(status) ? (
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
      <div class="charts">
        <LineChart title="Loss by epoch" x={x} curves={losses} />
        {accuracies.length ? <LineChart title="Accuracy by epoch" x={x} curves={accuracies} /> : null}
      </div>
    </>
  );
}

/** The run page. */
export function RunPage({ id }: { id: string }) {
  const q = useQuery(ConsoleRunDocument, { id });
  return (
    <Loaded {...q}>
      {() => {
        const run = q.data!.trainingRun;
        return (
          <>
            <h1>Run of {run.modelName}</h1>
            <p>
              Target <code>{run.targetColumn}</code> on {run.dataset ? <a href={href('datasets', run.dataset.id)}>{run.dataset.name}</a> : 'a deleted dataset'}.
            </p>
            <Live run={run} />
          </>
        );
      }}
    </Loaded>
  );
}
