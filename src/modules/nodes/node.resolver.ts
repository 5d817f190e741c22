/**
 * `node(id:)` and `nodes(ids:)` (Relay Global Object Identification). Any credential may call them;
 * each object is returned only when it is the caller's tenant's and the credential holds its type's
 * read scope (NODE_KINDS) — otherwise null, exactly as for an unknown id, never FORBIDDEN or
 * NOT_FOUND: Relay clients expect a nullable `node` that is null for what they cannot see.
 */
import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { AppError, badInput } from '../../lib/errors';
import type { Actor } from '../auth/actor';
import type { DatasetService } from '../datasets/dataset.service';
import type { EvaluationService } from '../registry/evaluation.service';
import type { ModelService } from '../registry/model.service';
import type { BatchPredictionService } from '../serving/batch.service';
import type { TrainingRunService } from '../training/training-run.service';
import type { NodeRow } from './node.repo';
import { NODE_KINDS } from './node-kinds';
import { MAX_NODE_IDS, type NodeService } from './node.service';
import { asNode, Node } from './node.type';

/** What this resolver reads of the GraphQL context (src/graphql/context.ts), named here so the module does not import the GraphQL layer. */
interface Context {
  actor?: Actor | null;
  services: {
    nodes: NodeService;
    datasets: DatasetService;
    training: TrainingRunService;
    models: ModelService;
    batch: BatchPredictionService;
    evaluations: EvaluationService;
  };
  loaders: Record<'dataset' | 'modelByName' | 'run' | 'version' | 'batch' | 'evaluation' | 'sweep', { load(key: string): Promise<object | null> }>;
}

/** Reads one found row's object through its type's service; null when it went away meanwhile. */
async function load(ctx: Context, row: NodeRow): Promise<object | null> {
  const read = (): Promise<object | null> => {
    switch (row.kind) {
      case 'Dataset':
        return ctx.loaders.dataset.load(row.id);
      case 'Model':
        return ctx.loaders.modelByName.load(row.name!);
      case 'TrainingRun':
        return ctx.loaders.run.load(row.id);
      case 'ModelVersion':
        return ctx.loaders.version.load(row.id);
      case 'BatchPrediction':
        return ctx.loaders.batch.load(row.id);
      case 'ModelEvaluation':
        return ctx.loaders.evaluation.load(row.id);
      case 'Sweep':
        return ctx.loaders.sweep.load(row.id);
    }
  };
  try {
    const view = await read();
    return view && asNode(row.kind, view);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null; // deleted between the two reads
    throw err;
  }
}

const KINDS = Object.keys(NODE_KINDS);
/** `node`'s description, naming every type NODE_KINDS lists (and their scopes), so it cannot leave one out. */
export const NODE_DESCRIPTION =
  `Any of your tenant's objects by its id (Relay Global Object Identification): a ${KINDS.slice(0, -1).join(', ')} or ${KINDS[KINDS.length - 1]}. ` +
  "Ids are the stored UUIDs, unchanged (not re-encoded): the id every other field returns. Null for an unknown id, another tenant's id, a malformed id, and an object whose type's read scope the credential lacks " +
  `(${[...new Set(Object.values(NODE_KINDS))].join(', ')}) — alike, so nothing tells them apart.`;

/** node, nodes. */
@Resolver()
export class NodeResolver {
  /** One object by id, or null (unknown, another tenant's, malformed, or a type the key's scopes do not read). Scope: any credential. */
  @Authorized()
  @Query(() => Node, {
    nullable: true,
    description: NODE_DESCRIPTION,
  })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<object | null> {
    const [row] = await ctx.services.nodes.kindsOf(ctx.actor!, [id]);
    return row ? load(ctx, row) : null;
  }

  /** Several objects by id, in `ids` order, null for each not found as node() says. Scope: any credential. @throws BAD_USER_INPUT (more than 100 ids). */
  @Authorized()
  @Query(() => [Node], {
    nullable: 'items',
    description: `Several objects by id, in the order of ids, null for each that node(id:) would answer null for. At most ${MAX_NODE_IDS} ids.`,
  })
  async nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: Context): Promise<(object | null)[]> {
    if (ids.length > MAX_NODE_IDS) throw badInput(`ids: at most ${MAX_NODE_IDS} ids, got ${ids.length}`, { field: 'ids', max: MAX_NODE_IDS });
    const rows = await ctx.services.nodes.kindsOf(ctx.actor!, ids);
    return Promise.all(rows.map((row) => (row ? load(ctx, row) : null)));
  }
}
