/** GraphQL types of the paged runs list and of a run's metric history (for charts). */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { connectionOf } from '../common/connection.type';
import { TrainingRun } from './training-run.type';

/** A page of training runs (Relay). */
export const TrainingRunConnection = connectionOf('TrainingRun', TrainingRun);

/** One point of a metric curve. */
@ObjectType({ description: 'One point of a metric curve.' })
export class MetricPoint {
  @Field(() => Int, { description: '1-based epoch.' }) epoch!: number;
  @Field(() => Float) value!: number;
}

/** One metric's curve over a run's epochs, down-sampled. */
@ObjectType({ description: "One metric's curve over a run's epochs, down-sampled (Largest-Triangle-Three-Buckets) to at most `samples` points." })
export class MetricSeries {
  @Field({ description: 'loss, accuracy, valLoss, valAccuracy or elapsedMs' }) key!: string;
  @Field(() => [MetricPoint], { description: 'Epoch order; the first and last epochs are always kept.' }) points!: MetricPoint[];
  @Field(() => Int, { description: 'Epochs with this metric, before down-sampling.' }) totalPoints!: number;
}
