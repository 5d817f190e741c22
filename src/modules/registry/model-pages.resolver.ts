/** The paged, filtered models list (`modelsConnection`) and a model's versions a page at a time (`Model.versionsConnection`). Scope: `models:read`. */
import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { connectionOf, CreatedRangeArgs, DEFAULT_PAGE, MAX_PAGE, PageArgs, type ConnectionShape } from '../common/connection.type';
import type { ModelService } from './model.service';
import { Model, ModelVersion } from './model.type';
import { createdFilter } from '../common/created-filter';

/** What this resolver reads of the GraphQL context (src/graphql/context.ts), named here so the module does not import the GraphQL layer. */
interface Context {
  actor?: Actor | null;
  services: { models: ModelService };
  loaders: { modelByName: { load(name: string): Promise<Model | null> } };
}

/** A page of models (Relay). */
export const ModelConnection = connectionOf('Model', Model);

/** A page of one model's versions (Relay). */
export const ModelVersionConnection = connectionOf('ModelVersion', ModelVersion);

/** `ModelVersion.model`, batched per request (a page of versions reads their models in one statement). */
@Resolver(() => ModelVersion)
export class VersionModelResolver {
  /** The model a version belongs to. Scope: `models:read` (as the version itself). */
  @FieldResolver(() => Model, { description: 'The model this version belongs to.' })
  async model(@Root() version: ModelVersion, @Ctx() ctx: Context): Promise<Model> {
    return (await ctx.loaders.modelByName.load(version.modelName))!;
  }
}

/** `Model.versionsConnection`: a model's versions a page at a time. */
@Resolver(() => Model)
export class ModelVersionPagesResolver {
  /** A page of the model's versions, newest first. Scope: `models:read` (as the model itself). @throws BAD_USER_INPUT (paging arguments, cursor). */
  @FieldResolver(() => ModelVersionConnection, { description: "This model's versions, newest first, a page at a time (Relay connection)." })
  versionsConnection(@Root() model: Model, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context): Promise<ConnectionShape<ModelVersion>> {
    return ctx.services.models.pageVersions(ctx.actor!, model.id, page, { default: DEFAULT_PAGE, max: MAX_PAGE });
  }
}

/** modelsConnection. */
@Resolver()
export class ModelPagesResolver {
  /** A page of the tenant's models, newest first, each with its versions. Scope: `models:read`. @throws BAD_USER_INPUT (paging arguments, cursor). */
  @Authorized('models:read')
  @Query(() => ModelConnection, { description: "Your tenant's models, newest first, a page at a time (Relay connection), each with its versions." })
  modelsConnection(
    @Args(() => PageArgs) page: PageArgs,
    @Args(() => CreatedRangeArgs) range: CreatedRangeArgs,
    @Arg('name', () => String, { nullable: true, description: 'Only models whose name contains this, any case.' }) name: string | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<Model>> {
    const filter = { name: name || undefined, ...createdFilter(range) };
    return ctx.services.models.page(ctx.actor!, page, filter, { default: DEFAULT_PAGE, max: MAX_PAGE });
  }
}
