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

/** The form of every stored id (Prisma's `uuid()`): anything else cannot be found, so it is not sent to the database. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Types of the caller's objects by id. */
export class NodeService {
  constructor(
    private readonly prisma: Db,
    private readonly repo: NodeRepo,
  ) {}

  /**
   * Each of `ids` -> its row (type, and a model's name), or null when it is unknown, another
   * tenant's, malformed, or of a type the actor's scopes do not read — all alike, so nothing
   * tells them apart. In `ids` order. Ids not of the stored UUID form (e.g. 100 ids of 100k
   * characters) are answered null without reaching the database.
   */
  async kindsOf(actor: Actor, ids: readonly string[]): Promise<(NodeRow | null)[]> {
    const kinds = (Object.keys(NODE_KINDS) as NodeKind[]).filter((k) => hasScope(actor, NODE_KINDS[k]));
    const wellFormed = [...new Set(ids.filter((id) => typeof id === 'string' && id.length === 36 && UUID.test(id)))];
    if (!wellFormed.length) return ids.map(() => null); // malformed alone: answered without a statement
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.kindsOf(tx, actor.tenantId, wellFormed, kinds));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}
