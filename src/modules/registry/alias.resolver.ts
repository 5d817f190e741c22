/**
 * Model aliases: set, move and delete them (`models:write`), and read them on Model and
 * ModelVersion (reached through models:read queries). UNAUTHENTICATED without a credential,
 * FORBIDDEN without the scope.
 */
import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { ModelAlias } from './alias.type';
import { Model, ModelVersion } from './model.type';

/** setModelAlias and deleteModelAlias. */
@Resolver()
export class AliasResolver {
  /** Points `alias` at `version` of `model`, creating or moving it. Scope: `models:write`. @throws BAD_USER_INPUT (alias name), NOT_FOUND (model or version). */
  @Authorized('models:write')
  @Mutation(() => ModelAlias, { description: "Points an alias (e.g. 'production') at a version, creating or moving it atomically." })
  setModelAlias(@Arg('model') model: string, @Arg('alias') alias: string, @Arg('version', () => Int) version: number, @Ctx() ctx: Context) {
    return ctx.services.aliases.set(ctx.actor!, model, alias, version);
  }

  /** Deletes an alias; the version stays. Scope: `models:write`. @throws NOT_FOUND (model or alias). */
  @Authorized('models:write')
  @Mutation(() => Boolean, { description: 'Deletes an alias of a model; the version it pointed at stays.' })
  deleteModelAlias(@Arg('model') model: string, @Arg('alias') alias: string, @Ctx() ctx: Context) {
    return ctx.services.aliases.delete(ctx.actor!, model, alias);
  }
}

/** `Model.aliases`. */
@Resolver(() => Model)
export class ModelAliasesResolver {
  /** The model's aliases. */
  @FieldResolver(() => [ModelAlias], { description: 'Aliases of this model.' })
  aliases(@Root() model: Model, @Ctx() ctx: Context) {
    return ctx.services.aliases.list(ctx.actor!, { modelId: model.id });
  }
}

/** `ModelVersion.aliases`. */
@Resolver(() => ModelVersion)
export class VersionAliasesResolver {
  /** Names of the aliases pointing at this version. */
  @FieldResolver(() => [String], { description: 'Aliases pointing at this version.' })
  async aliases(@Root() version: ModelVersion, @Ctx() ctx: Context) {
    return (await ctx.services.aliases.list(ctx.actor!, { versionId: version.id })).map((a) => a.name);
  }
}
