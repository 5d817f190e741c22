/**
 * BENCH_ONLY=training (and the full run): the reference job through the API and the queue against a
 * bare in-process fit, side by side in one run, with where the difference goes.
 *
 * Queued: from sending `startTrainingRun` to receiving its FINAL event on a websocket opened after
 * the mutation answered (as a client does). Bare: the same CSV parse, preparation, `model.fit` and
 * test evaluation in this process (bench/in-process.ts). The server's side of a queued run is read
 * from its `maas_training_phase_seconds` histogram on /metrics (src/jobs/run-phases.ts), summed
 * over the measured runs and divided by their number.
 */
import { gqlOk, wsClient, type Caller } from '../src/client/graphql-client';
import { KERAS_SPEC } from '../src/client/reference-job';
import { bareTrainingMs } from './in-process';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** One queued run, timed from the client. */
export interface QueuedTiming {
  /** startTrainingRun sent → FINAL received, ms. */
  totalMs: number;
  /** startTrainingRun sent → its answer, ms. */
  mutationMs: number;
  /** FINAL's emittedAt (the worker's clock; same machine) → received, ms. */
  deliveryMs: number;
}

/** Runs the reference job (`epochs` epochs) once through the API. */
export async function queuedTraining(me: Caller, datasetId: string, epochs = KERAS_SPEC.epochs, modelName = 'bench'): Promise<QueuedTiming> {
  const started = performance.now();
  const run = await gqlOk(me, 'mutation($i: StartTrainingRunInput!) { startTrainingRun(input: $i) { id } }', {
    i: { datasetId, targetColumn: 'Outcome', modelName, spec: { ...KERAS_SPEC, epochs } },
  });
  const mutationMs = performance.now() - started;
  const client = wsClient(me.url.replace('http', 'ws'), me.token);
  try {
    return await new Promise<QueuedTiming>((resolve, reject) => {
      client.subscribe<{ trainingProgress: { kind: string; status: string; emittedAt: number | null } }>(
        { query: 'subscription($id: ID!) { trainingProgress(runId: $id) { kind status emittedAt } }', variables: { id: run.startTrainingRun.id } },
        {
          next: (r) => {
            const e = r.data?.trainingProgress;
            if (e?.kind !== 'FINAL') return;
            if (e.status !== 'SUCCEEDED') return reject(new Error(`bench run ended ${e.status}`));
            resolve({ totalMs: performance.now() - started, mutationMs, deliveryMs: e.emittedAt ? Date.now() - e.emittedAt : NaN });
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

/** `maas_training_phase_seconds` sums and counts by phase, from the API's /metrics. */
async function phaseTotals(metricsUrl: string): Promise<Map<string, { sum: number; count: number }>> {
  const text = await (await fetch(metricsUrl)).text();
  const out = new Map<string, { sum: number; count: number }>();
  for (const m of text.matchAll(/^maas_training_phase_seconds_(sum|count)\{phase="([^"]+)"\} (\S+)$/gm)) {
    const entry = out.get(m[2]) ?? { sum: 0, count: 0 };
    entry[m[1] as 'sum' | 'count'] = Number(m[3]);
    out.set(m[2], entry);
  }
  return out;
}

/** What each phase means, in the order a run goes through them (src/jobs/run-phases.ts). */
const PHASES: [string, string][] = [
  ['pickup', 'queue pick-up: job enqueued → handler called'],
  ['claim', 'fair claim transaction (run RUNNING, lease)'],
  ['load', 'run + dataset row read, earlier epochs cleared, tenant limits'],
  ['data', 'dataset bytes read, decoded and parsed (0 on a parsed-table cache hit)'],
  ['thread', 'hand-over to the training thread and back (structured clone, backend)'],
  ['prepare', 'split, preprocessing fitted, tensors built (in the thread)'],
  ['fit', '`model.fit` (in the thread)'],
  ['evaluate', 'test metrics and curves, serialisation (in the thread)'],
  ['epochs', 'epoch writes and events still pending after the fit'],
  ['publish', 'version transaction (version row, run SUCCEEDED)'],
  ['final', 'FINAL (and modelChanged) published'],
];

/**
 * The training table: bare vs queued (medians of `runs` warm runs each, alternating), the
 * client-side split and the server's phases. @returns the warm ratio (bare / queued), the medians
 * (ms) and the server's phases (mean ms per run, in run order; empty when /metrics is closed).
 */
export async function runTrainingBench(me: Caller, datasetId: string, csv: string, say: (s?: string) => void, runs = 5): Promise<TrainingBenchResult> {
  const metricsUrl = me.url.replace(/\/graphql$/, '/metrics');
  await bareTrainingMs(csv); // the first fit in this process loads the backend
  await queuedTraining(me, datasetId); // and the first through the API warms its thread
  const before = await phaseTotals(metricsUrl);
  const bare: number[] = [];
  const queued: QueuedTiming[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await bareTrainingMs(csv));
    queued.push(await queuedTraining(me, datasetId));
  }
  const after = await phaseTotals(metricsUrl);
  const [b, q] = [median(bare), median(queued.map((x) => x.totalMs))];
  say(`The reference job (Pima, 768 rows, Dense(10, relu) → Dense(1, sigmoid), adam, batch 32, 10 epochs), ${runs} warm runs each, alternating.`);
  say();
  say('| | median ms |');
  say('|---|---|');
  say(`| bare: parse + prepare + \`model.fit\` + test metrics, in-process | ${b.toFixed(0)} |`);
  say(`| queued: \`startTrainingRun\` sent → FINAL received | ${q.toFixed(0)} |`);
  say(`| **bare / queued** | **${(b / q).toFixed(2)}×** |`);
  say(`| of which: the mutation's answer | ${median(queued.map((x) => x.mutationMs)).toFixed(1)} |`);
  say(`| of which: FINAL emitted → received by the client | ${median(queued.map((x) => x.deliveryMs)).toFixed(1)} |`);
  say();
  const phases: [string, number][] = [];
  const result = { ratio: b / q, bareMs: b, queuedMs: q, phases };
  if (after.size === 0) return result;
  say(`Server phases of the queued runs (mean ms per run, from \`maas_training_phase_seconds\`):`);
  say();
  say('| phase | mean ms | what |');
  say('|---|---|---|');
  for (const [phase, what] of PHASES) {
    const [x, y] = [after.get(phase), before.get(phase) ?? { sum: 0, count: 0 }];
    if (!x || x.count === y.count) continue;
    const ms = ((x.sum - y.sum) / (x.count - y.count)) * 1000;
    phases.push([phase, ms]);
    say(`| ${phase} | ${ms.toFixed(1)} | ${what} |`);
  }
  say();
  return result;
}

/** {@link runTrainingBench}'s figures. */
export interface TrainingBenchResult {
  ratio: number;
  bareMs: number;
  queuedMs: number;
  phases: [string, number][];
}
