/**
 * Watching a training run: the trainingProgress subscription over graphql-ws, shown as a live
 * progress bar (cli-progress) when stderr is a terminal, else as one line per epoch on stdout
 * (`--json`: one JSON object per event). Ctrl-C stops watching, not the run.
 */
import { SingleBar } from 'cli-progress';
import { CliTrainingProgressDocument, type CliTrainingProgressSubscription } from '../generated/graphql';
import { CliError } from './errors';
import type { Api } from './api';
import { cell, say, table } from './output';

/**
 * One trainingProgress event, as the CLI asks for it (watch-progress.graphql). PROGRESS events
 * carry `step` of `steps` (a forest's trees, each a `stepUnit`); `etaSeconds` is the worker's estimate.
 */
export type ProgressEvent = CliTrainingProgressSubscription['trainingProgress'];

type TestMetrics = NonNullable<ProgressEvent['modelVersion']>['metrics'];

/** The test metrics printed at the end (those the version has), in the order of the selection. */
const METRICS: (keyof TestMetrics)[] = ['accuracy', 'rocAuc', 'f1', 'precision', 'recall', 'logLoss', 'mae', 'mse', 'r2', 'testRows'];

/** Exit status after Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** Seconds left, whole: the worker's estimate, else the mean epoch time so far. */
function etaSeconds(e: ProgressEvent): number | null {
  if (typeof e.etaSeconds === 'number') return Math.round(e.etaSeconds);
  if (!e.epoch || !e.epochs || e.elapsedMs === null) return null;
  return Math.round(((e.elapsedMs / e.epoch) * (e.epochs - e.epoch)) / 1000);
}

const etaText = (e: ProgressEvent) => {
  const eta = etaSeconds(e);
  return eta === null ? '-' : `${eta}s`;
};

/** One epoch as a line: `epoch 3/10  loss 0.6123  val loss 0.6001  ETA 2s`. */
export function epochLine(e: ProgressEvent): string {
  return `epoch ${e.epoch}/${e.epochs}  loss ${cell(e.loss)}  val loss ${cell(e.valLoss)}  ETA ${etaText(e)}`;
}

/** One step inside a fit as a line: `tree 20/50  ETA 3s`. */
export function stepLine(e: ProgressEvent): string {
  return `${e.stepUnit ?? 'step'} ${e.step}/${e.steps}  ETA ${etaText(e)}`;
}

/** A hand-back to the queue as a line: `back in the queue, starts over: <reason>`. */
export function requeuedLine(e: ProgressEvent): string {
  return `back in the queue, starts over: ${e.reason ?? 'no reason given'}`;
}

/** Shows epochs as they arrive: a bar on a terminal, lines otherwise. */
function epochPrinter(json: boolean): { epoch(e: ProgressEvent): void; step(e: ProgressEvent): void; requeued(e: ProgressEvent): void; stop(): void } {
  const asJson = (e: ProgressEvent) => say(JSON.stringify(e));
  if (json) return { epoch: asJson, step: asJson, requeued: asJson, stop: () => undefined };
  if (!process.stderr.isTTY) return { epoch: (e) => say(epochLine(e)), step: (e) => say(stepLine(e)), requeued: (e) => say(requeuedLine(e)), stop: () => undefined };
  const bar = new SingleBar({ format: 'epoch {value}/{total} |{bar}| loss {loss}  val loss {valLoss}  ETA {eta_formatted}', hideCursor: true });
  let started = false;
  return {
    epoch(e) {
      const payload = { loss: cell(e.loss), valLoss: cell(e.valLoss) };
      if (!started) bar.start(e.epochs ?? 0, e.epoch ?? 0, payload);
      else bar.update(e.epoch ?? 0, payload);
      started = true;
    },
    step(e) {
      if (!started) process.stderr.write(`\r${stepLine(e)}`);
    },
    requeued(e) {
      if (started) bar.stop();
      started = false; // the run starts over: a new bar from its next first epoch
      process.stderr.write(`\n${requeuedLine(e)}\n`);
    },
    stop: () => started && bar.stop(),
  };
}

/**
 * Watches a run until its FINAL event and prints the version and its test metrics.
 * Resolves to the exit status: 0 when the run SUCCEEDED, 130 after Ctrl-C.
 * @throws CliError with the run's failureCode when it FAILED, CANCELLED when it was cancelled.
 */
export async function watchRun(api: Api, runId: string, json: boolean): Promise<number> {
  const client = api.subscriptions();
  const printer = epochPrinter(json);
  let final: ProgressEvent | undefined;
  let onInterrupt: () => void = () => undefined;
  const interrupted = new Promise<'interrupted'>((resolve) => {
    onInterrupt = () => resolve('interrupted');
    process.once('SIGINT', onInterrupt);
  });
  const finished = new Promise<'done'>((resolve, reject) => {
    client.subscribe<CliTrainingProgressSubscription>(
      { query: String(CliTrainingProgressDocument), variables: { runId } },
      {
        next: (value) => {
          if (value.errors?.length) {
            const first = value.errors[0] as { message: string; extensions?: { code?: string } };
            return reject(new CliError(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first.message));
          }
          const e = value.data!.trainingProgress;
          if (e.kind === 'EPOCH') printer.epoch(e);
          else if (e.kind === 'PROGRESS') printer.step(e);
          else if (e.kind === 'REQUEUED') printer.requeued(e);
          else final = e;
        },
        error: (err) => {
          const first = (Array.isArray(err) ? err[0] : undefined) as { message: string; extensions?: { code?: string } } | undefined;
          reject(
            first ? new CliError(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first.message) : new CliError('NETWORK_ERROR', `The progress stream broke: ${describe(err)}`),
          );
        },
        complete: () => resolve('done'),
      },
    );
  });
  try {
    const how = await Promise.race([finished, interrupted]);
    printer.stop();
    if (how === 'interrupted') {
      process.stderr.write(`Stopped watching; run ${runId} goes on ('maas runs cancel ${runId}' cancels it)\n`);
      return EXIT_INTERRUPTED;
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    void client.dispose();
  }
  return reportFinal(runId, final, json);
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'code' in err) return `websocket closed (${String((err as { code: unknown }).code)})`;
  return String(err);
}

/** Prints the end of a run; throws when it did not succeed. */
function reportFinal(runId: string, final: ProgressEvent | undefined, json: boolean): number {
  if (!final) throw new CliError('NETWORK_ERROR', `The progress stream of run ${runId} ended without a final event`);
  if (final.status === 'CANCELLED') throw new CliError('CANCELLED', `Run ${runId} was cancelled`);
  if (final.status !== 'SUCCEEDED') throw new CliError(final.failureCode ?? 'FAILED', `Run ${runId} ${final.status}: ${final.failureMessage ?? 'no reason given'}`);
  if (json) {
    say(JSON.stringify(final));
    return 0;
  }
  const v = final.modelVersion!;
  say(`Run ${runId} SUCCEEDED: version ${v.version} (${v.id})`);
  const metrics = METRICS.filter((m) => v.metrics[m] !== null && v.metrics[m] !== undefined);
  say(
    table(
      ['METRIC', 'VALUE'],
      metrics.map((m) => [m, v.metrics[m]]),
    ),
  );
  return 0;
}
