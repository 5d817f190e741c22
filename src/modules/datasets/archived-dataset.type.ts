/** An archived dataset as `archivedDatasets` lists it (src/modules/datasets/restore-dataset.ts). */
import { Field, ObjectType } from 'type-graphql';
import { Nullable } from '../common/fields';
import { Dataset } from './dataset.type';

@ObjectType({ description: 'A dataset deleted with force while model versions used it: kept for their lineage, restorable until purged.' })
export class ArchivedDataset {
  @Field(() => Dataset, { description: 'The dataset as it was (profile, row count, checksum).' })
  dataset!: Dataset;

  @Field({ description: 'When it was archived.' })
  archivedAt!: Date;

  @Field({ description: 'When its rows are (or were) purged: archivedAt + DATASET_ARCHIVE_RETENTION_DAYS.' })
  purgeAfter!: Date;

  @Nullable(Date, 'When its rows were purged; null while restorable.')
  purgedAt!: Date | null;

  @Field({ description: 'Whether restoreDataset can bring it back (its rows are still stored).' })
  restorable!: boolean;
}
