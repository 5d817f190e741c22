/**
 * Version stages: move a version (`models:write`), read the history on Model and ModelVersion
 * (reached through models:read queries), follow a model's moves by subscription (`models:read`).
 * UNAUTHENTICATED without a credential, FORBIDDEN without the scope.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { Model, ModelVersion } from './model.type';
import { ModelStage } from './stage';
import type { StageService } from './stage.service';
import { ModelStageEvent, StageTransition, StageTransitionResult } from './stage.type';

/** What these resolvers read of the GraphQL context (src/graphql/context.ts), named here so src/modules does not import the server. */
interface Context {
  actor?: Actor;
  services: { stages: StageService };
}

/** transitionModelVersionStage and modelStageChanged. */
@Resolver()
export class StageResolver {
  /**
   * Moves a version to a stage; to PRODUCTION, the previous PRODUCTION version is archived in the
   * same transaction. Scope: `models:write`. Audited.
   * @throws BAD_USER_INPUT (comment over 500 characters), NOT_FOUND (version).
   */
  @Authorized('models:write')
  @Mutation(() => StageTransitionResult, {
    description:
      "Moves a version to a stage (NONE, STAGING, PRODUCTION, ARCHIVED). Moving one to PRODUCTION moves the model's previous PRODUCTION version to ARCHIVED in the same transaction. Recorded in stageHistory and streamed by modelStageChanged.",
  })
  transitionModelVersionStage(
    @Arg('versionId', () => ID) versionId: string,
    @Arg('stage', () => ModelStage) stage: ModelStage,
    @Arg('comment', () => String, { nullable: true, description: 'Why (at most 500 characters).' }) comment: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.stages.transition(ctx.actor!, versionId, stage, comment);
  }

  /** The model's stages now, then each move with the stages after it. Scope: `models:read`. @throws NOT_FOUND (model, before the stream starts). */
  @Authorized('models:read')
  @Subscription(() => ModelStageEvent, {
    description: "The model's stages at once (transition null), then each stage move as it commits, on any API process, with the stages after it. Does not end by itself.",
    subscribe: ({ args, context }) => (context as Context).services.stages.stream((context as Context).actor!, String(args.model)),
  })
  modelStageChanged(@Arg('model') _model: string, @Root() event: ModelStageEvent): ModelStageEvent {
    return event;
  }
}

/** `Model.stageHistory`. */
@Resolver(() => Model)
export class ModelStageHistoryResolver {
  /** Every stage move of the model's versions, oldest first. */
  @FieldResolver(() => [StageTransition], { description: "Stage moves of this model's versions, oldest first." })
  stageHistory(@Root() model: Model, @Ctx() ctx: Context) {
    return ctx.services.stages.history(ctx.actor!, { modelId: model.id });
  }
}

/** `ModelVersion.stageHistory`. */
@Resolver(() => ModelVersion)
export class VersionStageHistoryResolver {
  /** This version's stage moves, oldest first. */
  @FieldResolver(() => [StageTransition], { description: 'Stage moves of this version, oldest first.' })
  stageHistory(@Root() version: ModelVersion, @Ctx() ctx: Context) {
    return ctx.services.stages.history(ctx.actor!, { versionId: version.id });
  }
}
