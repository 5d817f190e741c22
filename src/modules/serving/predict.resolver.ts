/**
 * Online serving: predict and explain with a model version chosen by `model` and `version` or
 * `alias`. Both need the `predict` scope (UNAUTHENTICATED without a credential, FORBIDDEN without
 * the scope) and count against the tenant's prediction rate limit.
 */
import { BoundedJSONObject as GraphQLJSONObject } from '../common/json.scalar';
import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { FeatureMatrixScalar, type FeatureMatrix } from './feature-matrix.scalar';
import { ExplanationResult } from './explain.type';
import { Prediction, PredictionColumn, PredictionResult } from './prediction.type';
import { predictionColumns, predictionsOf } from './prediction-result';
import { inTurns } from '../../lib/fair-turns';
import type { PredictionColumns } from '../../ml/predict';
import { VersionArgs, versionSelector } from './version.args';

/** The `predict` query. */
@Resolver()
export class PredictResolver {
  /**
   * Predicts rows (or a feature matrix) with the chosen version. Scope: `predict`.
   * @throws BAD_USER_INPUT (neither or both of rows and matrix, no rows, too many, a bad row, both
   *   version and alias), NOT_FOUND (model, version or alias), MODEL_NOT_READY (no version yet),
   *   QUOTA_EXCEEDED (rate limit, with retryAfterSeconds).
   */
  @Authorized('predict')
  @Query(() => PredictionResult, {
    description:
      "Predicts with a model version: `version`, `alias` (e.g. 'production') or, with neither, the latest. " +
      'Send `rows`, objects keyed like the training CSV\'s columns (e.g. {"Glucose": 148, "BMI": 33.6, …}), or the same ' +
      'rows as `matrix` ({ columns, rows }), which parses much faster for bulk requests. null means missing ' +
      "(handled by the version's preprocessing pipeline).",
  })
  predict(
    @Args(() => VersionArgs) which: VersionArgs,
    @Arg('rows', () => [GraphQLJSONObject], { nullable: true }) rows: Record<string, unknown>[] | null,
    @Arg('matrix', () => FeatureMatrixScalar, { nullable: true }) matrix: FeatureMatrix | null,
    @Ctx() ctx: Context,
  ): Promise<PredictionResult> {
    return ctx.services.predict.predict(ctx.actor!, which.model, versionSelector(which), { rows, matrix });
  }
}

/** The `explain` query. */
@Resolver()
export class ExplainResolver {
  /**
   * Baseline Shapley values of rows under the chosen version. Scope: `predict`.
   * @throws BAD_USER_INPUT (no rows, too many, a bad row or baseline value, samples outside [1, 256],
   *   both version and alias, too much work for one call), NOT_FOUND, MODEL_NOT_READY,
   *   QUOTA_EXCEEDED (each row counts as the model evaluations its explanation takes).
   */
  @Authorized('predict')
  @Query(() => ExplanationResult, {
    description:
      'Explains predictions of a model version (as for predict: `version`, `alias` or the latest): how much each feature column ' +
      "moved each row's output (binary: P(positive class); multiclass: P(predicted class); regression: the value) away from its " +
      'output on a baseline row. Baseline Shapley values: exact up to 10 feature columns, else sampled over `samples` pairs of ' +
      "feature orders (ignored by the exact method); they sum to value - baseValue. `baseline` sets some or all baseline values (default: each feature's " +
      'median or most frequent training value).',
  })
  explain(
    @Args(() => VersionArgs) which: VersionArgs,
    @Arg('rows', () => [GraphQLJSONObject]) rows: Record<string, unknown>[],
    @Arg('baseline', () => GraphQLJSONObject, { nullable: true }) baseline: Record<string, unknown> | null,
    @Arg('samples', () => Int, { nullable: true }) samples: number | null,
    @Ctx() ctx: Context,
  ): Promise<ExplanationResult> {
    return ctx.services.explain.explain(ctx.actor!, which.model, versionSelector(which), { rows, baseline, samples }, ctx.signal);
  }
}

/** `PredictionResult.predictions` and `.columns`: the predictions row-wise and column-wise. */
@Resolver(() => PredictionResult)
export class PredictionColumnsResolver {
  /**
   * One object per row. Past a few hundred rows the objects are handed to graphql-js a slice per
   * event-loop turn, round-robin across tenants (src/lib/fair-turns.ts): completing 10,000 of them
   * at once held every other tenant's requests for seconds (issue 10). The same list either way.
   */
  @FieldResolver(() => [Prediction], { description: 'One per input row, in input order.' })
  predictions(@Root() result: PredictionResult, @Ctx() ctx: Context): (Prediction | Promise<Prediction>)[] {
    return inTurns(predictionsOf(result), ctx.actor?.tenantId ?? '');
  }

  /**
   * The predictions as one list per field (only the fields of the task, or those `fields` names).
   * Needs no scope beyond predict's own.
   * @throws BAD_USER_INPUT for a field the model's task does not give.
   */
  @FieldResolver(() => GraphQLJSONObject, {
    description:
      'The predictions as columns, one list per field: { label: [...], probability: [...], probabilities: [[...]], value: [...] }. ' +
      'One JSON value instead of one object per row: much cheaper to serialise for bulk requests. `fields` keeps only those columns ' +
      '(e.g. [LABEL, PROBABILITY]: a smaller answer); a field the task does not give is refused (BAD_USER_INPUT).',
  })
  columns(@Root() result: PredictionResult, @Arg('fields', () => [PredictionColumn], { nullable: true }) fields: PredictionColumn[] | null): PredictionColumns {
    return predictionColumns(result, fields);
  }
}
