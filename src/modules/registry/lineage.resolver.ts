/**
 * Lineage and lifecycle of the registry: `ModelVersion.lineage`, `reproduce(versionId)` and
 * `deleteModel(name, force)`.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { TrainingRun } from '../training/training-run.type';
import type { DeleteModelService } from './delete-model.service';
import type { LineageService } from './lineage.service';
import { ModelVersionLineage } from './lineage.type';
import { ModelVersion } from './model.type';

/** What these resolvers read of the GraphQL context (src/graphql/context.ts), named here so src/modules does not import the server. */
interface Context {
  actor?: Actor;
  services: { lineage: LineageService; deleteModel: DeleteModelService };
}

/** ModelVersion.lineage. */
@Resolver(() => ModelVersion)
export class VersionLineageResolver {
  /** How the version was made. Scope: `models:read` (as the version itself). */
  @FieldResolver(() => ModelVersionLineage, { description: 'How this version was made: spec, dataset checksum, split, platform, training history, test metrics, who and when.' })
  lineage(@Root() version: ModelVersion, @Ctx() ctx: Context): Promise<ModelVersionLineage> {
    return ctx.services.lineage.get(ctx.actor!, version.id);
  }
}

/** reproduce and deleteModel. */
@Resolver()
export class LifecycleResolver {
  /**
   * Starts a run with the version's recorded spec on the same dataset. Scopes: `training:run` and
   * `models:read`. @throws NOT_FOUND, INVALID_STATE (no recorded lineage), DATASET_CHANGED.
   */
  @Authorized('training:run', 'models:read')
  @Mutation(() => TrainingRun, {
    description:
      "Starts a training run with the version's recorded spec and columns on the same dataset (a new version of the same model). Refused with DATASET_CHANGED when the dataset was deleted, archived or its checksum differs.",
  })
  reproduce(@Arg('versionId', () => ID) versionId: string, @Ctx() ctx: Context) {
    return ctx.services.lineage.reproduce(ctx.actor!, versionId);
  }

  /** Deletes a model and all its versions. Scope: `models:write`. @throws NOT_FOUND, MODEL_IN_USE (aliases, without force). */
  @Authorized('models:write')
  @Mutation(() => Boolean, {
    description:
      'Deletes a model with all its versions (training runs and their curves stay). Refused with MODEL_IN_USE while aliases point at its versions, unless force: true, which deletes the aliases too.',
  })
  deleteModel(
    @Arg('name') name: string,
    @Arg('force', () => Boolean, { defaultValue: false, description: 'Delete its aliases too instead of refusing.' }) force: boolean,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return ctx.services.deleteModel.delete(ctx.actor!, name, force);
  }
}
