import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Model, ModelVersion } from './model.type';

@Resolver()
export class ModelResolver {
  @Authorized('models:read')
  @Query(() => [Model], { description: "Your tenant's models with their versions." })
  models(@Ctx() ctx: Context): Promise<Model[]> {
    return ctx.services.models.list(ctx.actor!);
  }

  @Authorized('models:read')
  @Query(() => Model)
  model(@Arg('name') name: string, @Ctx() ctx: Context): Promise<Model> {
    return ctx.services.models.get(ctx.actor!, name);
  }

  @Authorized('models:read')
  @Query(() => ModelVersion)
  modelVersion(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ModelVersion> {
    return ctx.services.models.getVersion(ctx.actor!, id);
  }

  @Authorized('models:write')
  @Mutation(() => Boolean, { description: 'Deletes one version of a model (its artifact too). Other versions stay.' })
  deleteModelVersion(@Arg('model') model: string, @Arg('version', () => Int) version: number, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.deleteVersion.delete(ctx.actor!, model, version);
  }
}
