import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { FeatureMatrixScalar, type FeatureMatrix } from './feature-matrix';
import { PredictionResult } from './prediction.type';

@Resolver()
export class PredictResolver {
  @Authorized('predict')
  @Query(() => PredictionResult, {
    description:
      "Predicts with a model version: `version`, `alias` (e.g. 'production') or, with neither, the latest. " +
      'Send `rows`, objects keyed like the training CSV\'s columns (e.g. {"Glucose": 148, "BMI": 33.6, …}), or the same ' +
      'rows as `matrix` ({ columns, rows }), which parses much faster for bulk requests. null means missing ' +
      "(handled by the version's preprocessing pipeline).",
  })
  predict(
    @Arg('model') model: string,
    @Arg('version', () => Int, { nullable: true }) version: number | null,
    @Arg('alias', () => String, { nullable: true }) alias: string | null,
    @Arg('rows', () => [GraphQLJSONObject], { nullable: true }) rows: Record<string, unknown>[] | null,
    @Arg('matrix', () => FeatureMatrixScalar, { nullable: true }) matrix: FeatureMatrix | null,
    @Ctx() ctx: Context,
  ): Promise<PredictionResult> {
    return ctx.services.predict.predict(ctx.actor!, model, { version: version ?? undefined, alias: alias ?? undefined }, { rows, matrix });
  }
}
