/**
 * A sweep's trials as they stand: each trial with its run's status, its objective (the version's
 * test metric once SUCCEEDED, else the last epoch's stand-in, see objective.ts) and its rank.
 * Read in one tenant transaction by the API (sweep, sweepLeaderboard) and by the driver.
 */
import type { Tx } from '../../lib/tenant-tx';
import type { RunStatus } from '../status';
import { compareObjective, epochValue, finalValue, type Direction, type ObjectiveMetric } from './objective';
import { TrialStatus, type SweepRepo } from './sweep.repo';

type SweepRow = NonNullable<Awaited<ReturnType<SweepRepo['find']>>>;
type TrialRow = Awaited<ReturnType<SweepRepo['trials']>>[number];

/** One trial on the leaderboard. */
export interface TrialView extends TrialRow {
  /** 1 = best. Later rungs rank above earlier ones (they trained longer); then by objective. */
  rank: number;
  /** The run's status (null before it is started). */
  runStatus: RunStatus | null;
  /** Epochs the run has reported. */
  epochsDone: number;
  /** The per-epoch objective stand-ins, epoch 1 first (for early stopping). */
  curve: (number | null)[];
  /** Whether `objective` is final (the version's test metric) rather than the last epoch's. */
  final: boolean;
}

/** A sweep and its ranked trials. */
export interface Leaderboard {
  sweep: SweepRow;
  trials: TrialView[];
}

/** Reads the sweep's trials with their runs, epochs and versions, ranked (4 statements). */
export async function readLeaderboard(tx: Tx, repo: SweepRepo, sweep: SweepRow): Promise<Leaderboard> {
  const { tenantId } = sweep;
  const rows = await repo.trials(tx, tenantId, sweep.id);
  const runIds = rows.flatMap((t) => (t.runId ? [t.runId] : []));
  const [runs, epochs, versions] = runIds.length
    ? await Promise.all([repo.runs(tx, tenantId, runIds), repo.epochs(tx, tenantId, runIds), repo.versions(tx, tenantId, runIds)])
    : [[], [], []];
  const runStatus = new Map(runs.map((r) => [r.id, r.status as RunStatus]));
  const version = new Map(versions.map((v) => [v.trainingRunId!, v]));
  const curves = new Map<string, (number | null)[]>();
  const metric = sweep.objectiveMetric as ObjectiveMetric;
  for (const e of epochs) {
    const c = curves.get(e.trainingRunId) ?? [];
    c.push(epochValue(metric, e));
    curves.set(e.trainingRunId, c);
  }
  const views = rows.map((t): TrialView => {
    const curve = (t.runId && curves.get(t.runId)) || [];
    const v = t.runId ? version.get(t.runId) : undefined;
    const fromVersion = v ? finalValue(metric, v.metrics) : null;
    const last = curve.length ? curve[curve.length - 1] : null;
    const final = t.status === TrialStatus.SUCCEEDED || v !== undefined;
    return {
      ...t,
      rank: 0,
      runStatus: (t.runId && runStatus.get(t.runId)) || null,
      epochsDone: curve.length,
      curve,
      final,
      objective: final ? (t.objective ?? fromVersion) : (t.objective ?? last),
      modelVersionId: t.modelVersionId ?? v?.id ?? null,
    };
  });
  const direction = sweep.objectiveDirection as Direction;
  const ranked = [...views].sort((a, b) => b.rung - a.rung || compareObjective(direction, a.objective, b.objective) || a.index - b.index);
  ranked.forEach((t, i) => (t.rank = i + 1));
  return { sweep, trials: ranked };
}
