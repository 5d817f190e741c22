import { Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { IssuedToken, Viewer } from './auth.type';

@Resolver()
export class AuthResolver {
  @Authorized()
  @Mutation(() => IssuedToken, { description: 'Issues a JWT for the presented API key (default lifetime 15 min).' })
  issueToken(@Ctx() ctx: Context): Promise<IssuedToken> {
    return ctx.services.auth.issueToken(ctx.actor!);
  }

  @Authorized()
  @Query(() => Viewer, { description: 'Who the credential belongs to.' })
  async viewer(@Ctx() ctx: Context): Promise<Viewer> {
    return ctx.services.tenants.viewer(ctx.actor!);
  }
}
