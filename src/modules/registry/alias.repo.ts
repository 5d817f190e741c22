/**
 * Model aliases (`prod`, `staging`, … -> one version): the only code that touches the ModelAlias
 * table. Every method takes the tenant and folds it into its `where`.
 */
import type { Tx } from '../../lib/tenant-tx';

/** ModelAlias rows; every method folds the tenant into its `where`. */
export class AliasRepo {
  /** Points `name` of the model at `versionId`, creating the alias or moving it (one row). */
  upsert(tx: Tx, tenantId: string, target: { modelId: string; versionId: string }, name: string) {
    return tx.modelAlias.upsert({
      where: { modelId_name: { modelId: target.modelId, name } },
      create: { tenantId, modelId: target.modelId, name, versionId: target.versionId },
      update: { versionId: target.versionId, updatedAt: new Date() },
    });
  }

  /** @returns whether the alias of that model existed. */
  async delete(tx: Tx, tenantId: string, modelName: string, name: string) {
    const { count } = await tx.modelAlias.deleteMany({ where: { tenantId, name, model: { name: modelName, tenantId } } });
    return count > 0;
  }

  /** Aliases of a model or of one version, by name, with their version number. */
  list(tx: Tx, tenantId: string, filter: { modelId?: string; versionId?: string }) {
    return tx.modelAlias.findMany({ where: { tenantId, ...filter }, include: { version: { select: { version: true } } }, orderBy: { name: 'asc' } });
  }

  /** Deletes every alias of a model. @returns how many there were. */
  async deleteOfModel(tx: Tx, tenantId: string, modelId: string) {
    const { count } = await tx.modelAlias.deleteMany({ where: { tenantId, modelId } });
    return count;
  }

  /** Names of the aliases pointing at a version. */
  async namesOf(tx: Tx, tenantId: string, versionId: string) {
    const rows = await tx.modelAlias.findMany({ where: { tenantId, versionId }, select: { name: true } });
    return rows.map((r) => r.name);
  }

  /** The version an alias of a model points at, as `{ id, version }`, or null. */
  async target(tx: Tx, tenantId: string, modelId: string, name: string) {
    const alias = await tx.modelAlias.findFirst({ where: { tenantId, modelId, name }, include: { version: { select: { id: true, version: true } } } });
    return alias?.version ?? null;
  }
}
