import type { Db } from '../../lib/db';
import type { PubSub } from '../../lib/pubsub';
import { AppError, badInput, notFound } from '../../lib/errors';
import { LARGE_WRITE, withTenant } from '../../lib/tenant-tx';
import type { Correlation, CorrelationMatrix } from '../../ml/data/correlate';
import { movable } from '../../lib/threads/task-result';
import { KeyedGate } from '../../lib/threads/keyed-gate';
import type { CsvThreads } from '../../ml/data/csv-tasks';
import { MAX_COLUMN_NAME_LENGTH } from '../../ml/data/csv-limits';
import type { TextEncoding } from '../../ml/data/decode';
import type { MissingValuesSpec } from '../../ml/data/missing';
import type { ClassTokens } from '../../ml/data/text-profile';
import type { ColumnProfile } from '../../ml/data/profile';
import type { ImageProfile } from '../../ml/images/profile';
import { type Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { AuditRepo } from '../audit/audit.repo';
import { checkMissingValuesSizes } from '../../ml/spec-sizes';
import type { QuotaService } from '../quotas/quota.service';
import type { TrainingRunRepo } from '../training/training-run.repo';
import { pageWindow, type PageRequest } from '../common/keyset';
import type { ModelRepo } from '../registry/model.repo';
import type { BatchRepo } from '../serving/batch.repo';
import type { EvaluationRepo } from '../registry/evaluation.repo';
import { Topics } from '../events';
import type { ArchivedFilter, DatasetRepo } from './dataset.repo';
import { deleteDataset } from './delete-dataset';
import { archivedDatasets, archivedDatasetsPage, restoreDataset } from './restore-dataset';
import type { TextEncodingEnum } from './dataset.type';
import type { CreatedFilter } from '../common/created-filter';

/** A CSV upload as the resolver hands it over. */
export interface UploadInput {
  name: string;
  filename: string | null;
  content: Buffer;
  hasHeader?: boolean;
  /** Codes that mean missing, everywhere or in named columns (e.g. `?`, or `0` in Glucose). */
  missingValues?: MissingValuesSpec[];
  /** Names for a headerless file's columns (or replacing the header's); see CsvOptions.columnNames. */
  columnNames?: string[];
  /** Declared text encoding. (Default: UTF-8 when valid, else ISO-8859-1) */
  encoding?: TextEncoding;
  /** Whether `"` quotes fields. (Default: true) */
  quoting?: boolean;
}

/** Datasets of a tenant: upload (profiled on a CSV thread), read, correlate, delete. */
export class DatasetService {
  constructor(
    private readonly prisma: Db,
    private readonly repo: DatasetRepo,
    private readonly runs: TrainingRunRepo,
    private readonly quotas: QuotaService,
    private readonly audit: AuditRepo,
    private readonly threads: CsvThreads,
    private readonly limits: { maxColumns: number; maxCellChars: number; tasksPerTenant: number; retentionDays: number },
    private readonly models: ModelRepo,
    /** Batch predictions, whose results lose a deleted dataset's cells. */
    private readonly batches: BatchRepo,
    /** Evaluations, whose regression samples lose a deleted dataset's target cells. */
    private readonly evaluations: EvaluationRepo,
    /** Where a deletion is announced (Topics.datasetRemoved). (Default: nowhere) */
    private readonly pubsub?: PubSub,
  ) {
    this.gate = new KeyedGate(limits.tasksPerTenant);
  }

  /** The tenant's share of the CSV threads (DATA_TASKS_PER_TENANT). */
  private readonly gate: KeyedGate;

  /**
   * Runs a task on the CSV threads for the tenant (also image uploads: ./image-dataset.service.ts;
   * model exports: ../registry/export.service.ts).
   * @throws AppError QUOTA_EXCEEDED (retryAfterSeconds) when the tenant has its share in flight.
   */
  onThread<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    return this.gate.run(
      tenantId,
      fn,
      (n) =>
        new AppError(
          'QUOTA_EXCEEDED',
          `Your tenant has ${n} dataset uploads, correlations or model exports in progress on this server, the most at once; retry when one has finished`,
          {
            retryAfterSeconds: 2,
          },
        ),
    );
  }

  /**
   * Parses, profiles (on a CSV thread) and stores a CSV for the actor's tenant (`datasets:write`); audited.
   * @throws AppError FORBIDDEN, BAD_USER_INPUT for an empty name, empty or malformed CSV (with the line), a
   *   missing-value declaration naming an unknown column, a cell longer than DATASET_MAX_CELL_CHARS or a
   *   header name longer than 200 characters (nothing stored); QUOTA_EXCEEDED past the tenant's storage quota.
   */
  async upload(actor: Actor, input: UploadInput) {
    requireScope(actor, 'datasets:write');
    const name = input.name.trim();
    if (name === '' || name.length > 200) throw badInput(`name must be 1-200 characters, got ${name.length}`);
    checkMissingValuesSizes('missingValues', input.missingValues);
    checkColumnNames(input.columnNames, this.limits.maxColumns);
    // Refuse early when the bytes cannot fit (checked again when storing, against concurrent uploads).
    const size = input.content.length; // input.content is moved to the parsing thread below
    await withTenant(this.prisma, actor.tenantId, (tx) => this.quotas.checkDatasetBytes(tx, actor.tenantId, size));
    // On a worker thread: a file of tens of MB takes seconds to parse and profile.
    const { bytes, transfer } = movable(input.content);
    const table = await this.onThread(actor.tenantId, () =>
      this.threads.run(
        'profileCsv',
        {
          bytes,
          options: {
            hasHeader: input.hasHeader,
            missingValues: input.missingValues,
            maxColumns: this.limits.maxColumns,
            maxCellChars: this.limits.maxCellChars,
            maxNameChars: MAX_COLUMN_NAME_LENGTH,
            columnNames: input.columnNames,
            encoding: input.encoding,
            quoting: input.quoting,
          },
        },
        transfer,
      ),
    );
    const content = Buffer.from(table.bytes.buffer, table.bytes.byteOffset, table.bytes.byteLength);
    return withTenant(
      this.prisma,
      actor.tenantId,
      async (tx) => {
        await this.quotas.checkDatasetBytes(tx, actor.tenantId, size);
        const created = await this.repo.create(tx, actor.tenantId, {
          name,
          filename: input.filename,
          content,
          rowCount: table.rowCount,
          hasHeader: table.hasHeader,
          delimiter: table.delimiter,
          quoting: table.quoting,
          encoding: table.encoding,
          columns: table.columns,
        });
        await this.audit.record(tx, actor, {
          action: 'dataset.uploaded',
          targetType: 'Dataset',
          targetId: created.id,
          details: { name, sizeBytes: size, rows: table.rowCount },
        });
        return created;
      },
      LARGE_WRITE,
    ).then(toView);
  }

  /** One of the tenant's datasets (`datasets:read`). @throws AppError FORBIDDEN, NOT_FOUND (also another tenant's). */
  async get(actor: Actor, id: string) {
    requireScope(actor, 'datasets:read');
    const row = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.find(tx, actor.tenantId, id));
    if (!row) throw notFound('Dataset', id);
    return toView(row);
  }

  /**
   * Several of the tenant's datasets in one statement, in `ids` order, null where there is none
   * (DataLoader's batch function). Scope: `datasets:read`.
   */
  async getMany(actor: Actor, ids: readonly string[]) {
    requireScope(actor, 'datasets:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.findMany(tx, actor.tenantId, ids));
    const byId = new Map(rows.map((r) => [r.id, toView(r)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * A page of the tenant's datasets, newest first (`datasets:read`).
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (paging arguments, cursor).
   */
  async page(actor: Actor, args: PageRequest, filter: CreatedFilter & { name?: string }, sizes: { default: number; max: number }) {
    requireScope(actor, 'datasets:read');
    const window = pageWindow(args, sizes.default, sizes.max, 'datasets');
    const page = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.page(tx, actor.tenantId, filter, window));
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toView(e.node) })) };
  }

  /** The tenant's datasets, newest first (`datasets:read`). @throws AppError FORBIDDEN. */
  async list(actor: Actor, take = 100) {
    requireScope(actor, 'datasets:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.list(tx, actor.tenantId, take));
    return rows.map(toView);
  }

  /**
   * Pearson correlation of each numeric (boolean, datetime) column with `target`, computed from the
   * stored CSV with the missing codes declared at upload.
   * @throws AppError FORBIDDEN, NOT_FOUND (dataset), BAD_USER_INPUT (unknown target, or neither numeric nor two-class).
   */
  async correlations(actor: Actor, id: string, target: string): Promise<Correlation[]> {
    const { bytes, transfer, dataset } = await this.storedCsv(actor, id);
    return this.onThread(actor.tenantId, () => this.threads.run('correlateCsv', { bytes, dataset, target }, transfer));
  }

  /**
   * Pearson correlation of every pair of numeric (boolean, datetime) columns, the first
   * MAX_MATRIX_COLUMNS of them, computed from the stored CSV as {@link correlations}.
   * @throws AppError FORBIDDEN, NOT_FOUND (dataset), BAD_USER_INPUT (an image dataset).
   */
  async correlationMatrix(actor: Actor, id: string): Promise<CorrelationMatrix> {
    const { bytes, transfer, dataset } = await this.storedCsv(actor, id);
    return this.onThread(actor.tenantId, () => this.threads.run('correlationMatrixCsv', { bytes, dataset }, transfer));
  }

  /** A CSV dataset's stored bytes (movable to a thread) and how to read them. */
  private async storedCsv(actor: Actor, id: string) {
    requireScope(actor, 'datasets:read');
    const row = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.findWithContent(tx, actor.tenantId, id));
    if (!row) throw notFound('Dataset', id);
    if (row.format === 'image') throw badInput(`Dataset '${row.name}' is an image dataset: correlations are for CSV columns`);
    const columns = row.columns as unknown as ColumnProfile[];
    const { bytes, transfer } = movable(row.content);
    return { bytes, transfer, dataset: { hasHeader: row.hasHeader, delimiter: row.delimiter, quoting: row.quoting, encoding: row.encoding, columns } };
  }

  /**
   * The most frequent tokens of text column `column` in each class of `target`, computed from the
   * stored CSV as uploaded (see src/ml/data/text-profile.ts).
   * @throws AppError FORBIDDEN, NOT_FOUND (dataset), BAD_USER_INPUT (unknown column or target, a
   *   numeric column, a numeric target with too many values).
   */
  async textByClass(actor: Actor, id: string, column: string, target: string): Promise<ClassTokens[]> {
    requireScope(actor, 'datasets:read');
    const row = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.findWithContent(tx, actor.tenantId, id));
    if (!row) throw notFound('Dataset', id);
    const columns = row.columns as unknown as ColumnProfile[];
    const { bytes, transfer } = movable(row.content);
    const dataset = { hasHeader: row.hasHeader, delimiter: row.delimiter, quoting: row.quoting, encoding: row.encoding, columns };
    return this.onThread(actor.tenantId, () => this.threads.run('textByClassCsv', { bytes, dataset, column, target }, transfer));
  }

  /** See {@link deleteDataset}: deleted, or archived with `force` while versions it trained remain. */
  async delete(actor: Actor, id: string, force = false) {
    const deps = {
      prisma: this.prisma,
      datasets: this.repo,
      runs: this.runs,
      models: this.models,
      batches: this.batches,
      evaluations: this.evaluations,
      audit: this.audit,
      retentionDays: this.limits.retentionDays,
    };
    await deleteDataset(deps, actor, id, force);
    // After commit: workers drop the parsed copies they keep for training (src/jobs/dataset-tables.ts).
    await this.pubsub?.publish(Topics.datasetRemoved, { tenantId: actor.tenantId, datasetId: id });
    return true;
  }

  /** See {@link restoreDataset}. @returns the restored dataset. */
  async restore(actor: Actor, id: string) {
    return toView(await restoreDataset({ prisma: this.prisma, datasets: this.repo, audit: this.audit, retentionDays: this.limits.retentionDays }, actor, id));
  }

  /** See {@link archivedDatasets}. */
  async archived(actor: Actor, take: number) {
    const rows = await archivedDatasets({ prisma: this.prisma, datasets: this.repo, retentionDays: this.limits.retentionDays }, actor, take);
    return rows.map((r) => ({ ...r, dataset: toView(r.dataset) }));
  }

  /** See {@link archivedDatasetsPage}. */
  async archivedPage(actor: Actor, args: PageRequest, filter: ArchivedFilter, sizes: { default: number; max: number }) {
    const page = await archivedDatasetsPage({ prisma: this.prisma, datasets: this.repo, retentionDays: this.limits.retentionDays }, actor, args, filter, sizes);
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: { ...e.node, dataset: toView(e.node.dataset) } })) };
  }
}

/**
 * Checks `columnNames` before the file is read: at most `maxColumns` names, each 1 to
 * MAX_COLUMN_NAME_LENGTH characters with no leading or trailing whitespace, all different.
 * (Whether there is one per field is checked while parsing.)
 * @throws AppError BAD_USER_INPUT naming the entry and its value.
 */
export function checkColumnNames(names: string[] | undefined, maxColumns: number): void {
  if (!names) return;
  if (names.length === 0) throw badInput('columnNames is empty; leave it out to use the header or column_<n> names');
  if (names.length > maxColumns) throw badInput(`columnNames has ${names.length} names; at most ${maxColumns} columns are accepted (MAX_DATASET_COLUMNS)`);
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name.length === 0 || name.length > MAX_COLUMN_NAME_LENGTH) {
      throw badInput(`columnNames[${i}] must be 1-${MAX_COLUMN_NAME_LENGTH} characters, got ${name.length}`);
    }
    if (name.trim() !== name) throw badInput(`columnNames[${i}] '${name.slice(0, 60)}' starts or ends with whitespace`);
    if (seen.has(name)) throw badInput(`columnNames names column '${name.slice(0, 60)}' twice`);
    seen.add(name);
  });
}

function toView<T extends { columns: unknown; encoding: string | null; imageProfile?: unknown }>(row: T) {
  return {
    ...row,
    columns: row.columns as ColumnProfile[],
    encoding: row.encoding as TextEncodingEnum | null,
    imageProfile: (row.imageProfile ?? null) as ImageProfile | null,
  };
}
