/** Which Node type each of a tenant's ids belongs to: one statement over the Node types' tables. */
import { Prisma } from '../../generated/prisma/client';
import type { Tx } from '../../lib/tenant-tx';
import type { NodeKind } from './node-kinds';

/** The table of each Node type (the Prisma models are not @@map'ped, so each is named as its model). */
const TABLES: Record<NodeKind, string> = {
  Dataset: 'Dataset',
  TrainingRun: 'TrainingRun',
  Model: 'Model',
  ModelVersion: 'ModelVersion',
  BatchPrediction: 'BatchPrediction',
  ModelEvaluation: 'ModelEvaluation',
  Sweep: 'Sweep',
};

/** One found id: its type, and for a Model its name (models are read by name). */
export interface NodeRow {
  id: string;
  kind: NodeKind;
  name: string | null;
}

/** Reads the Node types' tables by id. */
export class NodeRepo {
  /**
   * The rows among `ids` that are the tenant's, of the types in `kinds` (ids are UUIDs, unique
   * across tables). Unknown ids, other tenants' ids and malformed ids are simply absent.
   */
  kindsOf(tx: Tx, tenantId: string, ids: readonly string[], kinds: readonly NodeKind[]): Promise<NodeRow[]> {
    if (!ids.length || !kinds.length) return Promise.resolve([]);
    const parts = kinds.map(
      (k) =>
        Prisma.sql`SELECT id, ${k}::text AS kind, ${k === 'Model' ? Prisma.sql`name` : Prisma.sql`NULL::text`} AS name FROM ${Prisma.raw(`"${TABLES[k]}"`)} WHERE "tenantId" = ${tenantId} AND id = ANY(${[...ids]}::text[])`,
    );
    return tx.$queryRaw<NodeRow[]>(Prisma.join(parts, ' UNION ALL '));
  }
}
