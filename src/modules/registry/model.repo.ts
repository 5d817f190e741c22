/**
 * Models and model versions: the only code that touches the Model and ModelVersion tables. Every
 * method takes the tenant and folds it into its `where` (except {@link ModelRepo.warmCandidates},
 * a start-up task across tenants). Versions are created by src/modules/registry/publish-version.ts
 * only.
 */
import { randomUUID } from 'node:crypto';
import type { PageWindow } from '../common/keyset';
import { readPage, type PageableTable } from '../common/page.repo';
import type { Db } from '../../lib/db';
import type { Tx } from '../../lib/tenant-tx';
import { Prisma } from '../../generated/prisma/client';
import { nameContains } from '../common/name-filter';
import { createdWhere, type CreatedFilter } from '../common/created-filter';

/** A model version as stored (see publish-version.ts, versionRow). */
export interface NewVersion {
  /** The run that trained it; null for an uploaded model. */
  trainingRunId: string | null;
  task: string;
  framework: string;
  topology: object;
  weights: Buffer;
  inputSchema: object;
  outputSchema: object;
  preprocessing: object;
  metrics: object;
  /** The dataset that trained it (null when not known). */
  datasetId: string | null;
  /** Its lineage (src/modules/registry/lineage.ts); null when not recorded. */
  lineage: object | null;
  warnings: string[];
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
  warnings: true,
  stage: true,
  createdAt: true,
  model: { select: { name: true } },
} as const;

/** Model and ModelVersion rows. */
export class ModelRepo {
  /**
   * Adds the next version (max + 1) of `modelName`, creating the model on first use. The model row
   * is locked (FOR UPDATE) so concurrent runs get distinct numbers. Only VersionPublisher calls this.
   * Two runs publishing a new model's first version at once both succeed: the row is created with
   * `ON CONFLICT DO NOTHING` (Prisma's upsert is a read then a write, and the loser's unique
   * violation aborted its transaction, failing a finished run).
   */
  async addVersion(tx: Tx, tenantId: string, modelName: string, v: NewVersion) {
    // Created or found, and locked in one statement (DO UPDATE locks the existing row as FOR UPDATE
    // would): concurrent publishers of one model take turns here. The version number is read in the
    // next statement, whose snapshot sees the versions committed while this one waited for the lock.
    const [model] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Model" (id, "tenantId", name) VALUES (${randomUUID()}, ${tenantId}, ${modelName})
      ON CONFLICT ("tenantId", name) DO UPDATE SET name = EXCLUDED.name
      RETURNING id`;
    if (!model) throw new Error(`model '${modelName}' vanished while its version was written`);
    const last = await tx.modelVersion.findFirst({ where: { modelId: model.id, tenantId }, orderBy: { version: 'desc' }, select: { version: true } });
    return tx.modelVersion.create({
      data: {
        ...v,
        lineage: v.lineage ?? Prisma.DbNull,
        weights: new Uint8Array(v.weights),
        tenantId,
        modelId: model.id,
        version: (last?.version ?? 0) + 1,
      },
      select: versionSummary,
    });
  }

  /** The tenant's models by name, each with its version summaries, newest version first. */
  listModels(tx: Tx, tenantId: string) {
    return tx.model.findMany({
      where: { tenantId },
      orderBy: { name: 'asc' },
      include: { versions: { select: versionSummary, orderBy: { version: 'desc' } } },
    });
  }

  /** One keyset page of one of the tenant's models' versions (newest first), by the model's id. */
  pageVersions(tx: Tx, tenantId: string, modelId: string, window: PageWindow) {
    const table = {
      findMany: (args: { where: object; orderBy: object[]; take: number }) => tx.modelVersion.findMany({ ...args, select: versionSummary }),
      count: (args: { where: object; take?: number }) => tx.modelVersion.count(args),
    };
    return readPage(table as unknown as PageableTable<NonNullable<Awaited<ReturnType<ModelRepo['findVersionById']>>>>, { tenantId, modelId }, window);
  }

  /** One keyset page of the tenant's models (newest first), each with its version summaries; `name` matches part of the name, any case. */
  pageModels(tx: Tx, tenantId: string, filter: CreatedFilter & { name?: string }, window: PageWindow) {
    const where = {
      tenantId,
      ...(filter.name ? { name: nameContains(filter.name) } : {}),
      ...createdWhere(filter),
    };
    const table = {
      findMany: (args: { where: object; orderBy: object[]; take: number }) =>
        tx.model.findMany({ ...args, include: { versions: { select: versionSummary, orderBy: { version: 'desc' } } } }),
      count: (args: { where: object; take?: number }) => tx.model.count(args),
    };
    return readPage(table as unknown as PageableTable<Awaited<ReturnType<ModelRepo['listModels']>>[number]>, where, window);
  }

  /** The versions several of the tenant's runs produced, without weights (one statement, for DataLoader). */
  versionsOfRuns(tx: Tx, tenantId: string, runIds: readonly string[]) {
    return tx.modelVersion.findMany({ where: { tenantId, trainingRunId: { in: [...runIds] } }, select: versionSummary });
  }

  /** The tenant's models among `names`, each with its version summaries (one statement, for DataLoader). */
  modelsByName(tx: Tx, tenantId: string, names: readonly string[]) {
    return tx.model.findMany({ where: { tenantId, name: { in: [...names] } }, include: { versions: { select: versionSummary, orderBy: { version: 'desc' } } } });
  }

  /** One of the tenant's models with its version summaries, or null. */
  findModel(tx: Tx, tenantId: string, name: string) {
    return tx.model.findFirst({
      where: { tenantId, name },
      include: { versions: { select: versionSummary, orderBy: { version: 'desc' } } },
    });
  }

  /** A model's versions as `{ id, version, framework }`, newest first (V2 model metadata); [] when not the tenant's. */
  listVersionNumbers(tx: Tx, tenantId: string, name: string) {
    return tx.modelVersion.findMany({
      where: { tenantId, model: { tenantId, name } },
      orderBy: { version: 'desc' },
      select: { id: true, version: true, framework: true },
    });
  }

  /** One of the tenant's versions without its weights, or null. */
  findVersionById(tx: Tx, tenantId: string, id: string) {
    return tx.modelVersion.findFirst({ where: { id, tenantId }, select: versionSummary });
  }

  /** The tenant's versions among `ids` (any order; unknown and other tenants' ids absent). */
  findVersionsByIds(tx: Tx, tenantId: string, ids: readonly string[]) {
    return tx.modelVersion.findMany({ where: { tenantId, id: { in: [...ids] } }, select: versionSummary });
  }

  /** Names of the tenant's models (at most `take`, by name), for a "did you mean" hint. */
  async modelNames(tx: Tx, tenantId: string, take: number): Promise<string[]> {
    const rows = await tx.model.findMany({ where: { tenantId }, select: { name: true }, orderBy: { name: 'asc' }, take });
    return rows.map((r) => r.name);
  }

  /** The id of the tenant's model called `name`, or null. */
  findModelId(tx: Tx, tenantId: string, name: string) {
    return tx.model.findFirst({ where: { tenantId, name }, select: { id: true } });
  }

  /** Version `version` of a model (`undefined`: the latest) as `{ id, version }`, or null. */
  findVersionRef(tx: Tx, tenantId: string, modelId: string, version?: number) {
    return tx.modelVersion.findFirst({
      where: { tenantId, modelId, ...(version !== undefined ? { version } : {}) },
      orderBy: { version: 'desc' },
      select: { id: true, version: true },
    });
  }

  /** Version `version` of the model called `modelName` as `{ id, modelId }`, or null. */
  findVersionByNumber(tx: Tx, tenantId: string, modelName: string, version: number) {
    return tx.modelVersion.findFirst({
      where: { tenantId, version, model: { tenantId, name: modelName } },
      select: { id: true, modelId: true },
    });
  }

  /** The whole version row (artifact included), as serving loads it; null when not the tenant's. */
  findVersionRow(tx: Tx, tenantId: string, id: string) {
    return tx.modelVersion.findFirst({ where: { id, tenantId } });
  }

  /**
   * The tenant's versions that use a dataset — trained on it, or (recommenders with recorded
   * lineage) reading their item or user metadata from it — newest first, at most `take`, with
   * their aliases; and how many there are in all.
   */
  async versionsUsing(tx: Tx, tenantId: string, datasetId: string, take: number) {
    const metadata = (kind: string) => ({ lineage: { path: ['spec', 'matrixFactorization', kind, 'datasetId'], equals: datasetId } });
    const where = { tenantId, OR: [{ datasetId }, metadata('itemMetadata'), metadata('userMetadata')] };
    const [rows, total] = await Promise.all([
      tx.modelVersion.findMany({
        where,
        orderBy: { createdAt: 'desc' },
        take,
        select: { id: true, version: true, model: { select: { name: true } }, aliases: { select: { name: true } } },
      }),
      tx.modelVersion.count({ where }),
    ]);
    return { rows, total };
  }

  /** A version's lineage and what an older version's lineage is rebuilt from, or null. */
  findLineage(tx: Tx, tenantId: string, id: string) {
    return tx.modelVersion.findFirst({
      where: { id, tenantId },
      select: {
        id: true,
        version: true,
        lineage: true,
        datasetId: true,
        trainingRunId: true,
        framework: true,
        metrics: true,
        preprocessing: true,
        createdAt: true,
        model: { select: { name: true } },
      },
    });
  }

  /** Deletes a model with its versions (the caller removes its aliases first). @returns whether it existed. */
  async deleteModel(tx: Tx, tenantId: string, modelId: string) {
    const { count } = await tx.model.deleteMany({ where: { tenantId, id: modelId } });
    return count > 0;
  }

  /**
   * Bytes of the tenant's model artifacts, for the storage quota (review F12): every version's stored
   * weights (trained weights and trees, uploaded ONNX files) and its topology as stored. Lengths
   * are read from the values' headers (PostgreSQL does not decompress a TOASTed bytea for them).
   */
  async artifactBytes(tx: Tx, tenantId: string): Promise<number> {
    const [row] = await tx.$queryRaw<{ bytes: bigint | null }[]>`
      SELECT sum(octet_length(weights) + pg_column_size(topology))::bigint AS bytes FROM "ModelVersion" WHERE "tenantId" = ${tenantId}`;
    return Number(row?.bytes ?? 0);
  }

  /** @returns whether a row was deleted. */
  async deleteVersion(tx: Tx, tenantId: string, id: string) {
    const { count } = await tx.modelVersion.deleteMany({ where: { tenantId, id } });
    return count > 0;
  }

  /**
   * The versions predict is most likely to be asked for (alias targets, then each model's latest
   * version), newest first, across all tenants: for warming a process' cache at start-up, on the
   * owner connection.
   */
  warmCandidates(db: Db, limit: number) {
    return db.$queryRaw<{ id: string; tenantId: string }[]>`
      SELECT v.id, v."tenantId" FROM "ModelVersion" v
       WHERE v.id IN (SELECT "versionId" FROM "ModelAlias")
          OR v.version = (SELECT max(version) FROM "ModelVersion" w WHERE w."modelId" = v."modelId")
       ORDER BY v."createdAt" DESC LIMIT ${limit}`;
  }
}
