/**
 * Global object identification (Relay's `Node`): the tenant-owned object types with a stable UUID
 * id implement it, so Relay, Apollo Client and urql can normalise their caches and refetch any
 * object with `node(id:)`. Ids are the stored UUIDs, unchanged (not re-encoded).
 */
import { Field, ID, InterfaceType } from 'type-graphql';
import type { NodeKind } from './node-kinds';

export { NODE_KINDS, type NodeKind } from './node-kinds';

/** Which Node type each object the node resolver returns is (views are plain objects, not class instances). */
const kindOf = new WeakMap<object, NodeKind>();

/** Marks `view` as an object of type `kind` for `Node.resolveType`; returns it. */
export function asNode<T extends object>(kind: NodeKind, view: T): T {
  kindOf.set(view, kind);
  return view;
}

/** An object with a globally unique id (Relay Global Object Identification). */
@InterfaceType('Node', {
  description:
    'An object with a globally unique id (Relay Global Object Identification). The id is the stored UUID as is (not re-encoded), so ids clients already hold stay valid; fetch any of them with node(id:).',
  resolveType: (value: object) => kindOf.get(value) ?? (value as { __typename?: string }).__typename,
})
export abstract class Node {
  @Field(() => ID, { description: 'Globally unique id (a UUID, the same one every other field and argument uses).' })
  id!: string;
}
