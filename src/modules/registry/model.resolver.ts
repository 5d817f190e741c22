/**
 * The model registry: list models and versions, delete a version. Reads need `models:read`,
 * deletes `models:write` (UNAUTHENTICATED without a credential, FORBIDDEN without the scope).
 */
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Model, ModelVersion } from './model.type';

/** models, model, modelVersion and deleteModelVersion. */
@Resolver()
export class ModelResolver {
  /** The tenant's models, each with its versions (newest first). Scope: `models:read`. */
  @Authorized('models:read')
  @Query(() => [Model], {
    description: "Your tenant's models with their versions.",
    deprecationReason: 'Use modelsConnection: cursor paging (first/after), totalCount and a name filter. This list stays until clients have moved.',
  })
  models(@Ctx() ctx: Context): Promise<Model[]> {
    return ctx.services.models.list(ctx.actor!);
  }

  /** One model by name. Scope: `models:read`. @throws NOT_FOUND (no such model in the tenant). */
  @Authorized('models:read')
  @Query(() => Model, { description: 'One model of your tenant, by name.' })
  model(@Arg('name') name: string, @Ctx() ctx: Context): Promise<Model> {
    return ctx.services.models.get(ctx.actor!, name);
  }

  /** One version by id. Scope: `models:read`. @throws NOT_FOUND (unknown, or another tenant's). */
  @Authorized('models:read')
  @Query(() => ModelVersion, { description: 'One model version of your tenant, by id.' })
  modelVersion(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ModelVersion> {
    return ctx.services.models.getVersion(ctx.actor!, id);
  }

  /** Deletes one version and its artifact; served copies are dropped. Scope: `models:write`. @throws NOT_FOUND. */
  @Authorized('models:write')
  @Mutation(() => Boolean, { description: 'Deletes one version of a model (its artifact too). Other versions stay.' })
  deleteModelVersion(@Arg('model') model: string, @Arg('version', () => Int) version: number, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.deleteVersion.delete(ctx.actor!, model, version);
  }
}
