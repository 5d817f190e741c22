/**
 * A model version's lineage: how it was made, written once by the publisher (publish-version.ts)
 * in the same transaction as the version, and never changed (a trigger refuses updates).
 * Versions published before lineage was recorded have none; lineage.service.ts shows what is
 * still known about them.
 *
 * Glossary: the *spec* is the normalised training spec (defaults filled in); the *checksum* is the
 * sha256 (hex) of the dataset's stored bytes; *test rows* are 0-based data rows of the dataset
 * (the header not counted), as ranges (src/ml/row-ranges.ts).
 */
import type { EvaluationMetrics } from '../../ml/evaluate';
import type { EpochResult } from '../../ml/families/model-family';
import type { TrainedModel } from '../../ml/pipeline';
import { encodeRanges } from '../../ml/row-ranges';
import type { TrainingSpec } from '../../ml/spec-types';

/** The lineage format written by this code. */
export const LINEAGE_FORMAT = 'maas-lineage/1';

/** The dataset as it was when the version was trained. */
export interface LineageDataset {
  id: string;
  name: string;
  /** sha256 (hex) of the stored bytes; null when the dataset row had none. */
  checksum: string | null;
  rowCount: number;
  sizeBytes: number;
  format: string;
}

/** The split, enough to rebuild it: the seed and fractions, and the test rows themselves. */
export interface LineageSplit {
  seed: number;
  testFraction: number;
  validationSplit: number;
  stratify: boolean;
  orderedSplit: boolean;
  rows: { train: number; validation: number; test: number };
  /** Test rows as ranges (`0-3,7`; images: their indexes), null when the data preparation does not report them (interactions). */
  testRows: string | null;
}

/** Stored in ModelVersion.lineage. */
export interface StoredLineage {
  format: typeof LINEAGE_FORMAT;
  spec: TrainingSpec;
  targetColumn: string;
  featureColumns: string[];
  dataset: LineageDataset;
  split: LineageSplit;
  /** The fitted pipeline is the version's `preprocessing`; this names its format. */
  preprocessing: { storedIn: 'ModelVersion.preprocessing'; format: string };
  platform: { version: string; backend: string };
  /** Per-epoch training metrics, copied from the run (they survive its deletion). */
  epochs: EpochResult[];
  testMetrics: EvaluationMetrics;
  /** Who started the run; null for runs started before it was recorded. */
  startedBy: { kind: string; id: string } | null;
  timings: { queuedAt: string; startedAt: string | null; finishedAt: string; queuedMs: number | null; trainingMs: number | null; totalMs: number };
  /** Set when the run was started by reproduce(versionId). */
  reproducesVersionId: string | null;
}

/** What the publisher knows about the run, besides the trained model. */
export interface RunProvenance {
  run: {
    spec: unknown;
    targetColumn: string;
    featureColumns: string[];
    createdAt: Date;
    startedAt: Date | null;
    startedByKind: string | null;
    startedById: string | null;
    reproducesVersionId: string | null;
  };
  dataset: LineageDataset;
  /** The TF.js backend the training thread ran on. */
  backend: string;
  platformVersion: string;
}

/** Builds the lineage of a version published at `finishedAt`. */
export function buildLineage(p: RunProvenance, trained: TrainedModel, finishedAt: Date): StoredLineage {
  const spec = p.run.spec as TrainingSpec;
  const { createdAt, startedAt } = p.run;
  return {
    format: LINEAGE_FORMAT,
    spec,
    targetColumn: p.run.targetColumn,
    featureColumns: p.run.featureColumns,
    dataset: p.dataset,
    split: {
      seed: spec.seed,
      testFraction: spec.testFraction,
      validationSplit: spec.validationSplit,
      stratify: spec.stratify,
      orderedSplit: spec.orderedSplit ?? false,
      rows: trained.rows,
      testRows: trained.testRowIndexes ? encodeRanges(trained.testRowIndexes) : null,
    },
    preprocessing: { storedIn: 'ModelVersion.preprocessing', format: trained.pipeline.format },
    platform: { version: p.platformVersion, backend: p.backend },
    epochs: trained.epochs,
    testMetrics: trained.metrics,
    startedBy: p.run.startedByKind && p.run.startedById ? { kind: p.run.startedByKind, id: p.run.startedById } : null,
    timings: {
      queuedAt: createdAt.toISOString(),
      startedAt: startedAt?.toISOString() ?? null,
      finishedAt: finishedAt.toISOString(),
      queuedMs: startedAt ? startedAt.getTime() - createdAt.getTime() : null,
      trainingMs: startedAt ? finishedAt.getTime() - startedAt.getTime() : null,
      totalMs: finishedAt.getTime() - createdAt.getTime(),
    },
    reproducesVersionId: p.run.reproducesVersionId,
  };
}
