/** Facts about the server, public (on the schema's allow-list): no credential needed. */
import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { resolveOnnxRuntime } from '../../ml/families/onnx/runtime';
import { activeBackend } from '../../ml/tf';

/** The server's version, the TensorFlow.js backend that trains and serves networks and the ONNX runtime. */
@ObjectType({ description: 'Facts about this server. Public.' })
export class ServerInfo {
  @Field({ description: 'The server version (package.json).' })
  version!: string;

  @Field({ description: "Active TensorFlow.js backend: 'tensorflow' (native tfjs-node), 'wasm' or 'cpu'." })
  tfBackend!: string;

  @Field(() => String, {
    nullable: true,
    description: "The ONNX runtime that serves uploaded models: 'node' (onnxruntime-node) or 'web' (onnxruntime-web, WASM); null when none loads here (ONNX_RUNTIME).",
  })
  onnxRuntime!: string | null;

  @Field({
    description:
      'Whether the web console offers sign-in with the admin secret (CONSOLE_ADMIN_SIGN_IN; off by default in production). The admin fields answer the X-Admin-Secret header either way.',
  })
  consoleAdminSignIn!: boolean;

  @Field({
    description:
      "The GraphQL explorer at GET /graphql: 'graphiql' (served from this server, works offline), 'sandbox' (Apollo's hosted Sandbox) or 'off' (GRAPHQL_EXPLORER; off by default in production).",
  })
  graphqlExplorer!: string;
}

/** The public `serverInfo` query. */
@Resolver()
export class SystemResolver {
  /** Version, TF.js backend, ONNX runtime and whether the console offers admin sign-in; answers without a credential. */
  @Query(() => ServerInfo, { description: 'Version, TensorFlow.js backend and ONNX runtime of this server. Public.' })
  serverInfo(@Ctx() ctx: Context): ServerInfo {
    return {
      version: ctx.version,
      tfBackend: activeBackend(),
      onnxRuntime: resolveOnnxRuntime().runtime ?? null,
      consoleAdminSignIn: ctx.config.CONSOLE_ADMIN_SIGN_IN,
      graphqlExplorer: ctx.config.GRAPHQL_EXPLORER,
    };
  }
}
