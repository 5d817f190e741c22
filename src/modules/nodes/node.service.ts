/**
 * Finding objects by id alone (`node`, `nodes`): one statement finds each id's type in the
 * caller's tenant, among the types the caller's scopes may read; each object is then read through
 * its own service (or the request's DataLoader), as the type's own root query reads it.
 */
import type { Db } from '../../lib/db';
import { withTenant } from '../../lib/tenant-tx';
import { hasScope, type Actor } from '../auth/actor';
import type { NodeRepo, NodeRow } from './node.repo';
import { NODE_KINDS, type NodeKind } from './node-kinds';

/** At most this many ids per `nodes` call. */
export const MAX_NODE_IDS = 100;

/** Types of the caller's objects by id. */
export class NodeService {
  constructor(
    private readonly prisma: Db,
    private readonly repo: NodeRepo,
  ) {}

  /**
   * Each of `ids` -> its row (type, and a model's name), or null when it is unknown, another
   * tenant's, malformed, or of a type the actor's scopes do not read — all alike, so nothing
   * tells them apart. In `ids` order.
   */
  async kindsOf(actor: Actor, ids: readonly string[]): Promise<(NodeRow | null)[]> {
    const kinds = (Object.keys(NODE_KINDS) as NodeKind[]).filter((k) => hasScope(actor, NODE_KINDS[k]));
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.kindsOf(tx, actor.tenantId, ids, kinds));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}
