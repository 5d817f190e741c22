/**
 * Version stages and their history: the only code that touches ModelVersion.stage and the
 * ModelStageTransition table. Every method takes the tenant and folds it into its `where`.
 */
import type { Tx } from '../../lib/tenant-tx';
import type { ModelStage } from './stage';

const transitionSelect = {
  id: true,
  versionId: true,
  fromStage: true,
  toStage: true,
  actorKind: true,
  actorId: true,
  comment: true,
  createdAt: true,
  version: { select: { version: true } },
  model: { select: { name: true } },
} as const;

/** ModelVersion.stage and ModelStageTransition rows. */
export class StageRepo {
  /**
   * The tenant's version with its model, the model row locked (FOR UPDATE) so two concurrent
   * moves to PRODUCTION of one model run one after the other; null when not the tenant's.
   */
  async lockVersion(tx: Tx, tenantId: string, versionId: string) {
    const v = await tx.modelVersion.findFirst({
      where: { id: versionId, tenantId },
      select: { id: true, version: true, stage: true, modelId: true, model: { select: { name: true } } },
    });
    if (!v) return null;
    await tx.$queryRaw`SELECT id FROM "Model" WHERE id = ${v.modelId} FOR UPDATE`;
    return v;
  }

  /** The model's PRODUCTION version other than `exceptId`, as `{ id }`, or null. */
  productionOf(tx: Tx, tenantId: string, modelId: string, exceptId: string) {
    return tx.modelVersion.findFirst({ where: { tenantId, modelId, stage: 'PRODUCTION', id: { not: exceptId } }, select: { id: true } });
  }

  /** Sets a version's stage and appends the move to the history; returns the history row. */
  async move(tx: Tx, tenantId: string, m: { modelId: string; versionId: string; from: ModelStage; to: ModelStage; actorKind: string; actorId: string; comment: string | null }) {
    await tx.modelVersion.updateMany({ where: { id: m.versionId, tenantId }, data: { stage: m.to } });
    return tx.modelStageTransition.create({
      data: { tenantId, modelId: m.modelId, versionId: m.versionId, fromStage: m.from, toStage: m.to, actorKind: m.actorKind, actorId: m.actorId, comment: m.comment },
      select: transitionSelect,
    });
  }

  /** The model's newest version in `stage`, as `{ id, version }`, or null. */
  newestIn(tx: Tx, tenantId: string, modelId: string, stage: ModelStage) {
    return tx.modelVersion.findFirst({ where: { tenantId, modelId, stage }, orderBy: { version: 'desc' }, select: { id: true, version: true } });
  }

  /** The model's versions not in NONE, newest first, as `{ id, version, stage }`. */
  staged(tx: Tx, tenantId: string, modelId: string) {
    return tx.modelVersion.findMany({ where: { tenantId, modelId, stage: { not: 'NONE' } }, select: { id: true, version: true, stage: true }, orderBy: { version: 'desc' } });
  }

  /** Stage moves of a model or of one version, oldest first. */
  history(tx: Tx, tenantId: string, filter: { modelId?: string; versionId?: string }) {
    return tx.modelStageTransition.findMany({ where: { tenantId, ...filter }, select: transitionSelect, orderBy: { seq: 'asc' } });
  }
}
