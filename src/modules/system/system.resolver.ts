/** Facts about the server, public (on the schema's allow-list): no credential needed. */
import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { activeBackend } from '../../ml/tf';

/** The server's version and the TensorFlow.js backend that trains and serves networks. */
@ObjectType({ description: 'Facts about this server. Public.' })
export class ServerInfo {
  @Field({ description: 'The server version (package.json).' })
  version!: string;

  @Field({ description: "Active TensorFlow.js backend: 'tensorflow' (native tfjs-node), 'wasm' or 'cpu'." })
  tfBackend!: string;
}

/** The public `serverInfo` query. */
@Resolver()
export class SystemResolver {
  /** Version and backend; answers without a credential. */
  @Query(() => ServerInfo, { description: 'Version and TensorFlow.js backend of this server. Public.' })
  serverInfo(@Ctx() ctx: Context): ServerInfo {
    return { version: ctx.version, tfBackend: activeBackend() };
  }
}
