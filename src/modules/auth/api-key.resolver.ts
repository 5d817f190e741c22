/**
 * API key management: create, list and revoke the tenant's keys. Every field needs the `admin`
 * scope (UNAUTHENTICATED without a credential, FORBIDDEN without admin).
 */
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { ApiKeyInfo, CreateApiKeyInput, CreatedApiKey } from './api-key.type';

/** createApiKey, apiKeys and revokeApiKey. */
@Resolver()
export class ApiKeyResolver {
  /**
   * Creates a key of the caller's tenant; the secret is in the answer only. Scope: `admin`.
   * @throws BAD_USER_INPUT (empty or long name, no scopes, expiry in the past).
   */
  @Authorized('admin')
  @Mutation(() => CreatedApiKey, { description: 'Creates an API key with the given scopes; the key is returned once.' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: Context) {
    return ctx.services.apiKeys.create(ctx.actor!, input);
  }

  /** The tenant's keys, without secrets. Scope: `admin`. */
  @Authorized('admin')
  @Query(() => [ApiKeyInfo], {
    description: "The tenant's API keys (prefix only, never the secret).",
    deprecationReason: 'Use apiKeysConnection: cursor paging (first/after), totalCount and filters. This list stays until clients have moved.',
  })
  apiKeys(@Ctx() ctx: Context) {
    return ctx.services.apiKeys.list(ctx.actor!);
  }

  /** Revokes a key at once (idempotent); its open subscriptions close. Scope: `admin`. @throws NOT_FOUND (unknown, or another tenant's). */
  @Authorized('admin')
  @Mutation(() => ApiKeyInfo, { description: 'Revokes a key at once: its requests and open subscriptions fail.' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.apiKeys.revoke(ctx.actor!, id);
  }
}
