/**
 * Sweeps and their trials: the only code that touches the Sweep and SweepTrial tables, plus the
 * reads of the trials' runs, epochs and versions the sweep driver needs. Every method takes the
 * tenant and folds it into its `where` (RLS backs it).
 */
import type { Tx } from '../../lib/tenant-tx';
import type { PageWindow } from '../common/keyset';
import { readPage, type PageableTable } from '../common/page.repo';
import type { RunStatus } from '../status';

/** A trial's own states: PENDING (no run yet), STARTING (its run is being created), STARTED (see the run), then final. */
export const TrialStatus = {
  PENDING: 'PENDING',
  STARTING: 'STARTING',
  STARTED: 'STARTED',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
  STOPPED_EARLY: 'STOPPED_EARLY',
} as const;
/** One of {@link TrialStatus}'s values. */
export type TrialStatus = (typeof TrialStatus)[keyof typeof TrialStatus];
/** Trial states that hold or will hold a training run. */
export const OPEN_TRIAL_STATUSES: readonly TrialStatus[] = [TrialStatus.PENDING, TrialStatus.STARTING, TrialStatus.STARTED];

/** A new sweep (status RUNNING). */
export interface NewSweep {
  datasetId: string;
  modelName: string;
  targetColumn: string;
  featureColumns: string[];
  strategy: string;
  baseSpec: object;
  space: object;
  objectiveMetric: string;
  objectiveDirection: string;
  maxTrials: number;
  maxConcurrent: number;
  seed: number | null;
  eta: number | null;
  minEpochs: number | null;
  maxEpochs: number | null;
  earlyStop: boolean;
  startedByKind: string;
  startedById: string;
}

/** A new trial (status PENDING). */
export interface NewTrial {
  index: number;
  config: number;
  rung: number;
  params: object;
  spec: object;
  epochs: number | null;
}

/** Sweep and SweepTrial rows. */
export class SweepRepo {
  /** Stores a sweep and its first trials. */
  async create(tx: Tx, tenantId: string, sweep: NewSweep, trials: readonly NewTrial[]) {
    const created = await tx.sweep.create({ data: { ...sweep, tenantId } });
    await this.addTrials(tx, tenantId, created.id, trials);
    return created;
  }

  /** Adds PENDING trials to a sweep. */
  addTrials(tx: Tx, tenantId: string, sweepId: string, trials: readonly NewTrial[]) {
    return tx.sweepTrial.createMany({ data: trials.map((t) => ({ ...t, tenantId, sweepId })) });
  }

  /** @returns the sweep, or null when the tenant has none with that id. */
  find(tx: Tx, tenantId: string, id: string) {
    return tx.sweep.findFirst({ where: { id, tenantId } });
  }

  /** The tenant's sweeps among `ids` (one statement; any order, unknown ids left out). */
  findMany(tx: Tx, tenantId: string, ids: readonly string[]) {
    return tx.sweep.findMany({ where: { tenantId, id: { in: [...ids] } } });
  }

  /** Serialises the transactions that change one sweep (start of trials, cancel, finish). */
  async lock(tx: Tx, sweepId: string) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${'sweep:' + sweepId}))`;
  }

  /** One keyset page of the tenant's sweeps, newest first. */
  page(tx: Tx, tenantId: string, filter: { status?: RunStatus }, window: PageWindow) {
    const where = { tenantId, ...(filter.status ? { status: filter.status } : {}) };
    return readPage(tx.sweep as unknown as PageableTable<Awaited<ReturnType<Tx['sweep']['findFirstOrThrow']>>>, where, window);
  }

  /** The sweep's trials in creation order. */
  trials(tx: Tx, tenantId: string, sweepId: string) {
    return tx.sweepTrial.findMany({ where: { tenantId, sweepId }, orderBy: { index: 'asc' } });
  }

  /** The trial that trains `runId`, if any. */
  trialOfRun(tx: Tx, tenantId: string, runId: string) {
    return tx.sweepTrial.findFirst({ where: { tenantId, runId }, select: { id: true, sweepId: true } });
  }

  /** Compare-and-set on the sweep's status. @returns whether it was in one of `from`. */
  async updateSweep(tx: Tx, tenantId: string, id: string, from: readonly RunStatus[], data: Record<string, unknown>) {
    const { count } = await tx.sweep.updateMany({ where: { id, tenantId, status: { in: [...from] } }, data });
    return count === 1;
  }

  /** Compare-and-set on a trial's status. @returns whether it was in one of `from`. */
  async updateTrial(tx: Tx, tenantId: string, id: string, from: readonly TrialStatus[], data: Record<string, unknown>) {
    const { count } = await tx.sweepTrial.updateMany({ where: { id, tenantId, status: { in: [...from] } }, data });
    return count === 1;
  }

  /** Status and failure of the given runs of the tenant. */
  runs(tx: Tx, tenantId: string, runIds: readonly string[]) {
    return tx.trainingRun.findMany({ where: { tenantId, id: { in: [...runIds] } }, select: { id: true, status: true, failureMessage: true } });
  }

  /** Stored epochs of the given runs, in epoch order. */
  epochs(tx: Tx, tenantId: string, runIds: readonly string[]) {
    return tx.epochMetric.findMany({
      where: { tenantId, trainingRunId: { in: [...runIds] } },
      orderBy: [{ trainingRunId: 'asc' }, { epoch: 'asc' }],
      select: { trainingRunId: true, epoch: true, loss: true, accuracy: true, valLoss: true, valAccuracy: true, metrics: true },
    });
  }

  /** The versions the given runs produced, with their test metrics. */
  versions(tx: Tx, tenantId: string, runIds: readonly string[]) {
    return tx.modelVersion.findMany({ where: { tenantId, trainingRunId: { in: [...runIds] } }, select: { id: true, trainingRunId: true, metrics: true } });
  }
}
