/** Who is calling, and short-lived tokens for an API key. Any valid credential will do (UNAUTHENTICATED without one). */
import { Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { IssuedToken, Viewer } from './auth.type';

/** issueToken and viewer. */
@Resolver()
export class AuthResolver {
  /** Issues a JWT with the scopes of the presented API key. Any scope. @throws UNAUTHENTICATED (no, or a bad, credential). */
  @Authorized()
  @Mutation(() => IssuedToken, { description: 'Issues a JWT for the presented API key (default lifetime 15 min).' })
  issueToken(@Ctx() ctx: Context): Promise<IssuedToken> {
    return ctx.services.auth.issueToken(ctx.actor!);
  }

  /** The caller: tenant, credential kind and scopes. Any scope. @throws UNAUTHENTICATED. */
  @Authorized()
  @Query(() => Viewer, { description: 'Who the credential belongs to.' })
  async viewer(@Ctx() ctx: Context): Promise<Viewer> {
    return ctx.services.tenants.viewer(ctx.actor!);
  }
}
