import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { activeBackend } from '../../ml/tf';

@ObjectType({ description: 'Facts about this server. Public.' })
export class ServerInfo {
  @Field()
  version!: string;

  @Field({ description: "Active TensorFlow.js backend: 'tensorflow' (native tfjs-node), 'wasm' or 'cpu'." })
  tfBackend!: string;
}

@Resolver()
export class SystemResolver {
  @Query(() => ServerInfo)
  serverInfo(@Ctx() ctx: Context): ServerInfo {
    return { version: ctx.version, tfBackend: activeBackend() };
  }
}
