/**
 * `VersionMetrics.curvesUnavailableReason` (and so `EvaluationMetrics`'s, which extends it): why the
 * task's test curve is null, read from the stored metrics by src/ml/test-curves.ts.
 */
import { FieldResolver, Resolver, Root } from 'type-graphql';
import { curvesUnavailable, type StoredCurveMetrics } from '../../ml/test-curves';
import { lowerCaseEnum, type EnumValue } from '../common/enum';
import { VersionMetrics } from './model.type';

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
}
