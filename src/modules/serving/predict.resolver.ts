import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { FeatureMatrixScalar, type FeatureMatrix } from './feature-matrix.scalar';
import { ExplanationResult } from './explain.type';
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

@Resolver()
export class ExplainResolver {
  @Authorized('predict')
  @Query(() => ExplanationResult, {
    description:
      'Explains predictions of a model version (as for predict: `version`, `alias` or the latest): how much each feature column ' +
      "moved each row's output (binary: P(positive class); multiclass: P(predicted class); regression: the value) away from its " +
      "output on a baseline row. Baseline Shapley values: exact up to 10 feature columns, else sampled over `samples` pairs of " +
      "feature orders (ignored by the exact method); they sum to value - baseValue. `baseline` sets some or all baseline values (default: each feature's " +
      'median or most frequent training value).',
  })
  explain(
    @Arg('model') model: string,
    @Arg('version', () => Int, { nullable: true }) version: number | null,
    @Arg('alias', () => String, { nullable: true }) alias: string | null,
    @Arg('rows', () => [GraphQLJSONObject]) rows: Record<string, unknown>[],
    @Arg('baseline', () => GraphQLJSONObject, { nullable: true }) baseline: Record<string, unknown> | null,
    @Arg('samples', () => Int, { nullable: true }) samples: number | null,
    @Ctx() ctx: Context,
  ): Promise<ExplanationResult> {
    return ctx.services.explain.explain(ctx.actor!, model, { version: version ?? undefined, alias: alias ?? undefined }, { rows, baseline, samples });
  }
}

@Resolver(() => PredictionResult)
export class PredictionColumnsResolver {
  @FieldResolver(() => GraphQLJSONObject, {
    description:
      'The predictions as columns, one list per field: { label: [...], probability: [...], probabilities: [[...]], value: [...] }. ' +
      'One JSON value instead of one object per row: much cheaper to serialise for bulk requests.',
  })
  columns(@Root() result: PredictionResult): Record<string, unknown[]> {
    const p = result.predictions;
    if (p.length > 0 && p[0].value !== undefined) return { value: p.map((x) => x.value) };
    return { label: p.map((x) => x.label), probability: p.map((x) => x.probability), probabilities: p.map((x) => x.probabilities) };
  }
}
