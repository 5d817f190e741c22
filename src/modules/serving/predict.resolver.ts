import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { PredictionResult } from './prediction.type';

@Resolver()
export class PredictResolver {
  @Authorized('predict')
  @Query(() => PredictionResult, {
    description:
      'Predicts with a model version (default: the latest). Each row is an object keyed like the training CSV\'s columns, ' +
      'e.g. {"Glucose": 148, "BMI": 33.6, …}; null means missing (handled by the version\'s preprocessing pipeline).',
  })
  predict(
    @Arg('model') model: string,
    @Arg('version', () => Int, { nullable: true }) version: number | null,
    @Arg('rows', () => [GraphQLJSONObject]) rows: Record<string, unknown>[],
    @Ctx() ctx: Context,
  ): Promise<PredictionResult> {
    return ctx.services.predict.predict(ctx.actor!, model, version ?? undefined, rows);
  }
}
