/**
 * GraphQL types of a model version's lineage (`ModelVersion.lineage`): how it was made. Fields
 * an older version (published before lineage was recorded) cannot tell are null.
 */
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { BoundedJSONObject as GraphQLJSONObject } from '../common/json.scalar';
import { Nullable } from '../common/fields';
import { EpochMetric } from '../training/training-run.type';
import { SplitRows, VersionMetrics } from './model.type';

/** The dataset a version was trained on, as it was then, and what became of it. */
@ObjectType({ description: 'The dataset a version was trained on.' })
export class LineageDataset {
  @Field(() => ID)
  id!: string;

  @Nullable(String, 'Its name (null when the dataset was deleted and the version has no recorded lineage).')
  name!: string | null;

  @Nullable(String, 'sha256 (hex) of its stored bytes when the version was trained.')
  checksum!: string | null;

  @Nullable(Int, 'Data rows (the header not counted).')
  rowCount!: number | null;

  @Field({ description: 'LIVE, ARCHIVED (deleted with force: rows gone, row kept) or DELETED.' })
  state!: string;

  @Nullable(Date, 'When it was archived.')
  archivedAt!: Date | null;
}

/** How the rows were split. */
@ObjectType({ description: 'The split: seed, fractions and the test rows.' })
export class LineageSplit {
  @Field(() => Int)
  seed!: number;

  @Field(() => Float)
  testFraction!: number;

  @Field(() => Float)
  validationSplit!: number;

  @Field()
  stratify!: boolean;

  @Field({ description: "Whether the dataset's row order was kept (the test rows are its last testFraction)." })
  orderedSplit!: boolean;

  @Nullable(SplitRows, 'Rows in each split.')
  rows!: SplitRows | null;

  @Nullable(
    String,
    "The test rows as ascending ranges of 0-based data rows (image datasets: image indexes), e.g. '0-3,7,9-12' (null when not recorded: older versions, interaction data).",
  )
  testRowRanges!: string | null;

  @Nullable([Int], 'The test rows, 0-based data rows of the dataset (the header not counted), ascending.')
  testRowIndexes!: number[] | null;
}

/** Who started the run. */
@ObjectType({ description: 'Who started a training run.' })
export class LineageActor {
  @Field({ description: "'apiKey', 'user' or 'system'." })
  kind!: string;

  @Field({ description: 'The API key id (also for JWTs: the key the token was issued for).' })
  id!: string;
}

/** When the run was queued, started and finished. */
@ObjectType({ description: 'When the run was queued, started and finished, and how long each part took.' })
export class LineageTimings {
  @Field()
  queuedAt!: Date;

  @Nullable(Date)
  startedAt!: Date | null;

  @Nullable(Date)
  finishedAt!: Date | null;

  @Nullable(Float, 'From queued to started, ms.')
  queuedMs!: number | null;

  @Nullable(Float, 'From started to published, ms (the last attempt).')
  trainingMs!: number | null;

  @Nullable(Float, 'From queued to published, ms.')
  totalMs!: number | null;
}

/** How a version was made. */
@ObjectType({ description: 'How a model version was made: spec, data, split, platform, history, metrics, who and when. Immutable.' })
export class ModelVersionLineage {
  @Field({ description: 'True when recorded at publication; false for an older version, whose lineage is rebuilt from what is left (missing parts null).' })
  recorded!: boolean;

  @Nullable(GraphQLJSONObject, 'The normalised training spec, defaults filled in.')
  spec!: Record<string, unknown> | null;

  @Nullable(String)
  targetColumn!: string | null;

  @Nullable([String])
  featureColumns!: string[] | null;

  @Nullable(LineageDataset)
  dataset!: LineageDataset | null;

  @Nullable(LineageSplit)
  split!: LineageSplit | null;

  @Nullable(String, "Format of the fitted preprocessing pipeline, which is the version's `preprocessing`.")
  preprocessingFormat!: string | null;

  @Nullable(String, 'Platform version (package.json) that trained it.')
  platformVersion!: string | null;

  @Nullable(String, "TF.js backend of the training thread ('wasm', 'cpu', 'tensorflow').")
  tfBackend!: string | null;

  @Nullable([EpochMetric], 'Per-epoch training metrics, copied at publication (kept when the run is deleted).')
  epochs!: EpochMetric[] | null;

  @Nullable(VersionMetrics, 'Metrics on the held-out test split.')
  testMetrics!: VersionMetrics | null;

  @Nullable(LineageActor)
  startedBy!: LineageActor | null;

  @Nullable(LineageTimings)
  timings!: LineageTimings | null;

  @Nullable(ID, 'Set when the run was started by reproduce(versionId).')
  reproducesVersionId!: string | null;
}
