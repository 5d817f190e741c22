/**
 * Relay connection types (https://relay.dev/graphql/connections.htm): `PageInfo`, the paging
 * arguments, and `XConnection` / `XEdge` object types made per node type by {@link connectionOf}.
 */
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { DEFAULT_PAGE, MAX_PAGE } from './page-sizes';

/** Where a page sits in its list. */
@ObjectType({ description: 'Where this page sits in the list (Relay).' })
export class PageInfo {
  @Field({ description: 'Rows follow the last edge (older ones, in a newest-first list).' }) hasNextPage!: boolean;
  @Field({ description: 'Rows precede the first edge (newer ones).' }) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true, description: "The first edge's cursor." }) startCursor!: string | null;
  @Field(() => String, { nullable: true, description: "The last edge's cursor: pass it as `after` for the next page." }) endCursor!: string | null;
}

export { DEFAULT_PAGE, MAX_PAGE } from './page-sizes';

/** Relay's paging arguments, shared by every `…Connection` field. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Rows from the start (newest), or after \`after\`. 0 to ${MAX_PAGE}. (Default: ${DEFAULT_PAGE})` })
  first?: number | null;
  @Field(() => String, {
    nullable: true,
    description: "An opaque cursor of this list (an edge's `cursor` or `pageInfo.endCursor`): rows after it. With `before` too, the rows between the two.",
  })
  after?: string | null;
  @Field(() => Int, { nullable: true, description: `Rows from the end (oldest), or before \`before\`. 0 to ${MAX_PAGE}.` })
  last?: number | null;
  @Field(() => String, { nullable: true, description: 'An opaque cursor of this list: rows before it. With `after` too, the rows between the two.' })
  before?: string | null;
}

/** Optional creation-time bounds, shared by the connections' filters. */
@ArgsType()
export class CreatedRangeArgs {
  @Field(() => Date, { nullable: true, description: 'Only rows created at or after this instant.' })
  createdAfter?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Only rows created before this instant.' })
  createdBefore?: Date | null;
}

/** A connection's shape, for resolvers' return types. */
export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * Makes `<name>Edge` and `<name>Connection` for a node type (call once per type, at module load).
 * @param name the GraphQL prefix, e.g. 'TrainingRun' → TrainingRunConnection, TrainingRunEdge.
 */
export function connectionOf<T extends object>(name: string, node: ClassType<T>): ClassType<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`, { description: `One ${name} and its cursor.` })
  class Edge {
    @Field({ description: 'Opaque; pass as `after` or `before`.' }) cursor!: string;
    @Field(() => node) node!: T;
  }
  @ObjectType(`${name}Connection`, { description: `A page of ${name} rows, newest first (Relay connection).` })
  class Connection {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'Rows matching the filters, on all pages.' }) totalCount!: number;
  }
  return Connection;
}
