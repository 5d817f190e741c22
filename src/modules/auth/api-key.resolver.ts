import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { ApiKeyInfo, CreateApiKeyInput, CreatedApiKey } from './api-key.type';

@Resolver()
export class ApiKeyResolver {
  @Authorized('admin')
  @Mutation(() => CreatedApiKey, { description: 'Creates an API key with the given scopes; the key is returned once.' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: Context) {
    return ctx.services.apiKeys.create(ctx.actor!, input);
  }

  @Authorized('admin')
  @Query(() => [ApiKeyInfo], { description: "The tenant's API keys (prefix only, never the secret)." })
  apiKeys(@Ctx() ctx: Context) {
    return ctx.services.apiKeys.list(ctx.actor!);
  }

  @Authorized('admin')
  @Mutation(() => ApiKeyInfo, { description: 'Revokes a key at once: its requests and open subscriptions fail.' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.apiKeys.revoke(ctx.actor!, id);
  }
}
