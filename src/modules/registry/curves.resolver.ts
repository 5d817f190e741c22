/**
 * Field resolvers of `VersionMetrics` (and so of `EvaluationMetrics`, which extends it):
 * `curvesUnavailableReason`, why the task's test curve is null, read from the stored metrics by
 * src/ml/test-curves.ts; and `testPredictions`, whose stored target cells (`actual`) only a key with
 * `datasets:read` reads (review F9).
 */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { curvesUnavailable, type StoredCurveMetrics } from '../../ml/test-curves';
import { hasScope, type Actor } from '../auth/actor';
import { lowerCaseEnum, type EnumValue } from '../common/enum';
import { ActualPredicted, VersionMetrics } from './model.type';

/** What these resolvers read of the GraphQL context (src/graphql/context.ts). */
interface Context {
  actor?: Actor;
}

/**
 * A regressor's test rows as the caller may see them: each `actual` is a cell of the dataset's target
 * column (the review showed the sample is every test row on small data, in the split's order, next
 * to `lineage.split.testRowIndexes`), so without `datasets:read` it is null, as stored rows are
 * (README, Security model); `predicted` is a model output and stays. No actor (never on the API,
 * whose every request has one) reads as no scope.
 */
export function visibleTestPredictions(rows: readonly ActualPredicted[] | null | undefined, actor: Actor | undefined): ActualPredicted[] | null {
  if (!rows) return null;
  if (actor && hasScope(actor, 'datasets:read')) return [...rows];
  return rows.map((r) => ({ actual: null, predicted: r.predicted }));
}

/** Why the curves are absent (values: src/ml/test-curves.ts `CurvesUnavailable`). */
export const CurvesUnavailableReason = lowerCaseEnum('CurvesUnavailableReason', ['NOT_RECORDED', 'ONE_CLASS_IN_TEST', 'TOO_MANY_CLASSES', 'NO_TEST_ROWS'], {
  description: "Why a version's (or an evaluation's) test curve — rocCurve, classRocCurves or testPredictions, as its task has — is null.",
  valuesConfig: {
    NOT_RECORDED: { description: 'Trained (or evaluated) before the platform stored test curves: train the version again, or evaluate it again, to get them.' },
    ONE_CLASS_IN_TEST: { description: 'The test rows hold one class only: no ROC rate can be computed.' },
    TOO_MANY_CLASSES: { description: 'More than 50 classes: only ovrMacroAuc is kept, not the per-class curves.' },
    NO_TEST_ROWS: { description: 'Nothing was scored: an uploaded model, or a run without a test split.' },
  },
});
export type CurvesUnavailableReason = EnumValue<typeof CurvesUnavailableReason>;

/** The reason field on the metrics types. */
@Resolver(() => VersionMetrics)
export class CurvesReasonResolver {
  /** Why the task's curve is null; null when it is there (or the task draws none). */
  @FieldResolver(() => CurvesUnavailableReason, {
    nullable: true,
    description:
      "Why this task's test curve (binary: rocCurve, multiclass: classRocCurves, regression: testPredictions) is null, for the client to say so instead of drawing an empty chart; null when the curve is there.",
  })
  curvesUnavailableReason(@Root() metrics: VersionMetrics): CurvesUnavailableReason | null {
    return curvesUnavailable(metrics as unknown as StoredCurveMetrics) ?? null;
  }

  /** The regression sample, `actual` null without `datasets:read` (see {@link visibleTestPredictions}). */
  @FieldResolver()
  testPredictions(@Root() metrics: VersionMetrics, @Ctx() ctx: Context): ActualPredicted[] | null {
    return visibleTestPredictions(metrics.testPredictions, ctx.actor);
  }
}
