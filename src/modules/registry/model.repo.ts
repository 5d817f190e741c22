/** Models and model versions: the only place that touches those tables; every method takes the tenant. */
import type { Tx } from '../../lib/tenant-tx';

export interface NewVersion {
  trainingRunId: string;
  task: string;
  framework: string;
  topology: object;
  weights: Buffer;
  inputSchema: object;
  outputSchema: object;
  preprocessing: object;
  metrics: object;
}

/** Version columns without the weights. */
const versionSummary = {
  id: true,
  version: true,
  task: true,
  framework: true,
  trainingRunId: true,
  preprocessing: true,
  metrics: true,
  createdAt: true,
  model: { select: { name: true } },
} as const;

export class ModelRepo {
  /**
   * Adds the next version (max + 1) of `modelName`, creating the model on first use. The model row
   * is locked (FOR UPDATE) so concurrent runs get distinct numbers.
   */
  async addVersion(tx: Tx, tenantId: string, modelName: string, v: NewVersion) {
    const model = await tx.model.upsert({
      where: { tenantId_name: { tenantId, name: modelName } },
      create: { tenantId, name: modelName },
      update: {},
    });
    await tx.$queryRaw`SELECT id FROM "Model" WHERE id = ${model.id} FOR UPDATE`;
    const last = await tx.modelVersion.findFirst({ where: { modelId: model.id, tenantId }, orderBy: { version: 'desc' }, select: { version: true } });
    return tx.modelVersion.create({
      data: { ...v, weights: new Uint8Array(v.weights), tenantId, modelId: model.id, version: (last?.version ?? 0) + 1 },
      select: versionSummary,
    });
  }

  listModels(tx: Tx, tenantId: string) {
    return tx.model.findMany({
      where: { tenantId },
      orderBy: { name: 'asc' },
      include: { versions: { select: versionSummary, orderBy: { version: 'desc' } } },
    });
  }

  findModel(tx: Tx, tenantId: string, name: string) {
    return tx.model.findFirst({
      where: { tenantId, name },
      include: { versions: { select: versionSummary, orderBy: { version: 'desc' } } },
    });
  }

  findVersionById(tx: Tx, tenantId: string, id: string) {
    return tx.modelVersion.findFirst({ where: { id, tenantId }, select: versionSummary });
  }

  /** The version row with its artifact; `version` undefined = the latest. */
  findVersionWithArtifact(tx: Tx, tenantId: string, modelName: string, version?: number) {
    return tx.modelVersion.findFirst({
      where: { tenantId, model: { name: modelName, tenantId }, ...(version !== undefined ? { version } : {}) },
      orderBy: { version: 'desc' },
      include: { model: { select: { name: true } } },
    });
  }

  /**
   * Whether the name is known to the tenant without a version: a model row, or a training run
   * that will create it (to tell "no such model" from "no trained version yet").
   */
  async nameKnown(tx: Tx, tenantId: string, name: string) {
    const [models, runs] = await Promise.all([
      tx.model.count({ where: { tenantId, name } }),
      tx.trainingRun.count({ where: { tenantId, modelName: name } }),
    ]);
    return models + runs > 0;
  }
}
