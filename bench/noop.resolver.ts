/**
 * The benchmark's baseline: a resolver with predict's argument and result types that does
 * nothing (no auth, no lookup, no model), mounted on the same Apollo server. The ratio of
 * predict to this is what our own work costs.
 */
import { BoundedJSONObject as GraphQLJSONObject } from '../src/modules/common/json.scalar';
import { Arg, Int, Query, Resolver } from 'type-graphql';
import { PredictionResult } from '../src/modules/serving/prediction.type';

const CONSTANT: PredictionResult = { modelName: 'noop', version: 1, modelVersionId: 'noop', predictions: [{ label: '0', probability: 0.5, probabilities: [0.5, 0.5] }] };

@Resolver()
export class NoopResolver {
  @Query(() => PredictionResult)
  benchNoopPredict(
    @Arg('model') _model: string,
    @Arg('version', () => Int, { nullable: true }) _version: number | null,
    @Arg('rows', () => [GraphQLJSONObject]) _rows: Record<string, unknown>[],
  ): PredictionResult {
    return CONSTANT;
  }
}
