import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { ModelAlias } from './alias.type';
import { Model, ModelVersion } from './model.type';

@Resolver()
export class AliasResolver {
  @Authorized('models:write')
  @Mutation(() => ModelAlias, { description: "Points an alias (e.g. 'production') at a version, creating or moving it atomically." })
  setModelAlias(@Arg('model') model: string, @Arg('alias') alias: string, @Arg('version', () => Int) version: number, @Ctx() ctx: Context) {
    return ctx.services.aliases.set(ctx.actor!, model, alias, version);
  }

  @Authorized('models:write')
  @Mutation(() => Boolean)
  deleteModelAlias(@Arg('model') model: string, @Arg('alias') alias: string, @Ctx() ctx: Context) {
    return ctx.services.aliases.delete(ctx.actor!, model, alias);
  }
}

@Resolver(() => Model)
export class ModelAliasesResolver {
  @FieldResolver(() => [ModelAlias])
  aliases(@Root() model: Model, @Ctx() ctx: Context) {
    return ctx.services.aliases.list(ctx.actor!, { modelId: model.id });
  }
}

@Resolver(() => ModelVersion)
export class VersionAliasesResolver {
  @FieldResolver(() => [String], { description: 'Aliases pointing at this version.' })
  async aliases(@Root() version: ModelVersion, @Ctx() ctx: Context) {
    return (await ctx.services.aliases.list(ctx.actor!, { versionId: version.id })).map((a) => a.name);
  }
}
