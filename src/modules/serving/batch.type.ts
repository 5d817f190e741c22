/** GraphQL types of batch predictions: the job and its progress events. */
import { Node } from '../nodes/node.type';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Nullable } from '../common/fields';
import { Job, RunStatus } from '../common/job.type';

/** A job that predicts every row of a dataset with one model version and writes a CSV. */
@ObjectType({ description: 'Predictions over a whole dataset, run as a job. The result is a CSV.', implements: Node })
export class BatchPrediction extends Job {
  @Nullable(ID, 'The version that predicts (null once deleted).')
  modelVersionId!: string | null;

  @Nullable(ID, 'The dataset predicted (null once deleted).')
  datasetId!: string | null;

  @Field(() => Int, { description: 'Rows to predict.' })
  rowCount!: number;

  @Field(() => Int, { description: 'Rows predicted so far.' })
  processedRows!: number;

  @Nullable(
    String,
    "When SUCCEEDED: GET this path with the same Authorization header for the CSV. With the datasets:read scope: the dataset's columns as uploaded plus the predictions; without it: `row` (the dataset's 1-based data row) plus the predictions. Cells starting with = + - @ tab or CR (other than plain numbers) are prefixed with ' (OWASP CSV injection).",
  )
  downloadPath!: string | null;
}

/** An event of the batchPredictionProgress subscription. */
@ObjectType()
export class BatchPredictionProgress {
  @Field(() => ID)
  id!: string;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => Int, { description: 'Rows predicted so far.' })
  processedRows!: number;

  @Field(() => Int, { description: 'Rows to predict.' })
  rowCount!: number;

  @Nullable(String, 'FAILED: what went wrong.')
  failureMessage?: string | null;
}
