import { Field, ID, Int, ObjectType } from 'type-graphql';
import { RunStatus } from '../training/training-run.type'; // the GraphQL enum, registered there

@ObjectType({ description: 'Predictions over a whole dataset, run as a job. The result is a CSV.' })
export class BatchPrediction {
  @Field(() => ID)
  id!: string;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => ID, { nullable: true })
  modelVersionId!: string | null;

  @Field(() => ID, { nullable: true })
  datasetId!: string | null;

  @Field(() => Int)
  rowCount!: number;

  @Field(() => Int)
  processedRows!: number;

  @Field(() => String, { nullable: true })
  failureCode!: string | null;

  @Field(() => String, { nullable: true })
  failureMessage!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "When SUCCEEDED: GET this path with the same Authorization header for the CSV (the dataset's columns plus the predictions).",
  })
  downloadPath!: string | null;
}

@ObjectType()
export class BatchPredictionProgress {
  @Field(() => ID)
  id!: string;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => Int)
  processedRows!: number;

  @Field(() => Int)
  rowCount!: number;

  @Field(() => String, { nullable: true })
  failureMessage?: string | null;
}
