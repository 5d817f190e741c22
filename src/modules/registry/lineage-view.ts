/**
 * From what is stored to `ModelVersion.lineage`: the recorded lineage (src/modules/registry/lineage.ts)
 * as it is, or, for a version published before lineage was recorded, what its training run (when
 * still there) and its dataset still tell, the rest null.
 */
import type { EpochResult } from '../../ml/families/model-family';
import { decodeRanges } from '../../ml/row-ranges';
import type { TrainingSpec } from '../../ml/spec-types';
import type { StoredLineage } from './lineage';
import type { LineageDataset, ModelVersionLineage } from './lineage.type';
import type { VersionMetrics } from './model.type';

/** The dataset row as it is now (archived or live), or null when deleted. */
export interface DatasetNow {
  id: string;
  name: string;
  checksum: string | null;
  rowCount: number;
  archivedAt: Date | null;
}

/** The run of an older version, with its stored epochs. */
export interface RunRecord {
  spec: unknown;
  targetColumn: string;
  featureColumns: string[];
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  startedByKind: string | null;
  startedById: string | null;
  reproducesVersionId: string | null;
  epochs: (Omit<EpochResult, 'metrics' | 'accuracy' | 'valLoss' | 'valAccuracy'> & {
    accuracy: number | null;
    valLoss: number | null;
    valAccuracy: number | null;
    metrics: unknown;
  })[];
}

const stateOf = (now: DatasetNow | null) => (!now ? 'DELETED' : now.archivedAt ? 'ARCHIVED' : 'LIVE');

function datasetView(id: string, recorded: Partial<DatasetNow> | null, now: DatasetNow | null): LineageDataset {
  return {
    id,
    name: recorded?.name ?? now?.name ?? null,
    checksum: recorded ? (recorded.checksum ?? null) : (now?.checksum ?? null),
    rowCount: recorded?.rowCount ?? now?.rowCount ?? null,
    state: stateOf(now),
    archivedAt: now?.archivedAt ?? null,
  };
}

const ms = (a: Date | null, b: Date | null) => (a && b ? b.getTime() - a.getTime() : null);

/** A recorded lineage, as GraphQL shows it. */
export function recordedView(l: StoredLineage, now: DatasetNow | null): ModelVersionLineage {
  const t = l.timings;
  return {
    recorded: true,
    spec: l.spec as unknown as Record<string, unknown>,
    targetColumn: l.targetColumn,
    featureColumns: l.featureColumns,
    dataset: datasetView(l.dataset.id, l.dataset, now),
    split: {
      seed: l.split.seed,
      testFraction: l.split.testFraction,
      validationSplit: l.split.validationSplit,
      stratify: l.split.stratify,
      orderedSplit: l.split.orderedSplit,
      rows: l.split.rows,
      testRowRanges: l.split.testRows,
      testRowIndexes: l.split.testRows === null ? null : decodeRanges(l.split.testRows),
    },
    preprocessingFormat: l.preprocessing.format,
    platformVersion: l.platform.version,
    tfBackend: l.platform.backend,
    epochs: l.epochs.map((e) => ({ ...e, accuracy: e.accuracy ?? null, valLoss: e.valLoss ?? null, valAccuracy: e.valAccuracy ?? null, metrics: e.metrics ?? null })),
    testMetrics: l.testMetrics as unknown as VersionMetrics,
    startedBy: l.startedBy,
    timings: {
      queuedAt: new Date(t.queuedAt),
      startedAt: t.startedAt ? new Date(t.startedAt) : null,
      finishedAt: new Date(t.finishedAt),
      queuedMs: t.queuedMs,
      trainingMs: t.trainingMs,
      totalMs: t.totalMs,
    },
    reproducesVersionId: l.reproducesVersionId,
  };
}

/**
 * An older version's lineage from what is left: its run (spec, columns, epochs, timings) when not
 * deleted, its dataset (datasets are never changed in place, so today's checksum is the one it
 * was trained on), its stored test metrics and pipeline. Test rows, platform, backend: null.
 */
export function rebuiltView(version: { datasetId: string | null; metrics: unknown; preprocessing: unknown }, run: RunRecord | null, now: DatasetNow | null): ModelVersionLineage {
  const spec = (run?.spec ?? null) as TrainingSpec | null;
  const metrics = version.metrics as VersionMetrics & { rows?: { train: number; validation: number; test: number } };
  return {
    recorded: false,
    spec: spec as unknown as Record<string, unknown> | null,
    targetColumn: run?.targetColumn ?? null,
    featureColumns: run?.featureColumns ?? null,
    dataset: version.datasetId ? datasetView(version.datasetId, null, now) : null,
    split: spec
      ? {
          seed: spec.seed,
          testFraction: spec.testFraction,
          validationSplit: spec.validationSplit,
          stratify: spec.stratify,
          orderedSplit: spec.orderedSplit ?? false,
          rows: metrics.rows ?? null,
          testRowRanges: null,
          testRowIndexes: null,
        }
      : null,
    preprocessingFormat: (version.preprocessing as { format?: string }).format ?? null,
    platformVersion: null,
    tfBackend: null,
    epochs: run ? run.epochs.map((e) => ({ ...e, metrics: (e.metrics ?? null) as Record<string, number> | null })) : null,
    testMetrics: metrics,
    startedBy: run?.startedByKind && run.startedById ? { kind: run.startedByKind, id: run.startedById } : null,
    timings: run
      ? {
          queuedAt: run.createdAt,
          startedAt: run.startedAt,
          finishedAt: run.finishedAt,
          queuedMs: ms(run.createdAt, run.startedAt),
          trainingMs: ms(run.startedAt, run.finishedAt),
          totalMs: ms(run.createdAt, run.finishedAt),
        }
      : null,
    reproducesVersionId: run?.reproducesVersionId ?? null,
  };
}
