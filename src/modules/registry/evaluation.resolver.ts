/**
 * Evaluations: start one (`models:read` + `datasets:read`: it reads stored rows), read and follow
 * it, list a version's (`models:read`). UNAUTHENTICATED without a credential, FORBIDDEN without a scope.
 */
import { Arg, Args, Authorized, Ctx, FieldResolver, Float, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { RunStatus } from '../common/job.type';
import { connectionOf, DEFAULT_PAGE, MAX_PAGE, PageArgs, type ConnectionShape } from '../common/connection.type';
import type { EvaluationService } from './evaluation.service';
import { ModelEvaluation } from './evaluation.type';
import { ModelVersion } from './model.type';

/** What these resolvers read of the GraphQL context (src/graphql/context.ts), named here so src/modules does not import the server. */
interface Context {
  actor?: Actor;
  services: { evaluations: EvaluationService };
}

/** A page of one version's evaluations (Relay). */
export const ModelEvaluationConnection = connectionOf('ModelEvaluation', ModelEvaluation);

/** evaluateModelVersion, modelEvaluation and modelEvaluationProgress. */
@Resolver()
export class EvaluationResolver {
  /**
   * Queues an evaluation of a version on a dataset with its columns. Scopes: `models:read`, `datasets:read`. Audited.
   * @throws BAD_USER_INPUT (threshold), NOT_FOUND (version or dataset).
   */
  @Authorized('models:read', 'datasets:read')
  @Mutation(() => ModelEvaluation, {
    description:
      "Scores a labelled dataset with the version's columns (e.g. a held-back file) as a job and stores the same metrics as the version's test metrics, plus PR AUC, Brier score, one-vs-rest AUC (multiclass), a reliability table and, for binary classifiers, the metrics at `threshold`. Follow it with modelEvaluationProgress; listed in ModelVersion.evaluations.",
  })
  evaluateModelVersion(
    @Arg('versionId', () => ID) versionId: string,
    @Arg('datasetId', () => ID) datasetId: string,
    @Arg('threshold', () => Float, { nullable: true, description: 'Binary: the probability from which a row is positive, in [0, 1]. (Default: 0.5)' }) threshold: number | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.evaluations.start(ctx.actor!, versionId, datasetId, threshold ?? 0.5);
  }

  /** One evaluation of the tenant. Scope: `models:read`. @throws NOT_FOUND (unknown, or another tenant's). */
  @Authorized('models:read')
  @Query(() => ModelEvaluation, { description: 'One evaluation of your tenant.' })
  modelEvaluation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.evaluations.get(ctx.actor!, id);
  }

  /** The evaluation now, then each change until it ends. Scope: `models:read`. @throws NOT_FOUND (before the stream starts). */
  @Authorized('models:read')
  @Subscription(() => ModelEvaluation, {
    description: 'The evaluation at once, then each change of state, ending with SUCCEEDED (with its metrics) or FAILED.',
    subscribe: ({ args, context }) => (context as Context).services.evaluations.progress((context as Context).actor!, String(args.id)),
  })
  modelEvaluationProgress(@Arg('id', () => ID) _id: string, @Root() event: ModelEvaluation): ModelEvaluation {
    return event;
  }
}

/** `ModelVersion.evaluations`. */
@Resolver(() => ModelVersion)
export class VersionEvaluationsResolver {
  /** A page of the version's evaluations, newest first. Scope: `models:read`. @throws BAD_USER_INPUT (paging arguments, cursor). */
  @FieldResolver(() => ModelEvaluationConnection, { description: "This version's evaluations on other datasets, newest first, a page at a time (Relay connection)." })
  evaluationsConnection(
    @Root() version: ModelVersion,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('status', () => RunStatus, { nullable: true, description: 'Only evaluations in this status.' }) status: RunStatus | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<ModelEvaluation>> {
    return ctx.services.evaluations.pageOfVersion(ctx.actor!, version.id, page, { default: DEFAULT_PAGE, max: MAX_PAGE }, status ?? undefined);
  }

  /** The version's evaluations, newest first. */
  @FieldResolver(() => [ModelEvaluation], { description: 'Evaluations of this version on other datasets, newest first.' })
  evaluations(@Root() version: ModelVersion, @Ctx() ctx: Context) {
    return ctx.services.evaluations.ofVersion(ctx.actor!, version.id);
  }
}
