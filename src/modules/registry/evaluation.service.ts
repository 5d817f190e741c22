/**
 * Evaluations of model versions on other labelled datasets (evaluateModelVersion): stored QUEUED
 * and enqueued here, executed by src/jobs/model-evaluation.job.ts, listed on the version.
 *
 * Scopes: starting one needs `models:read` and `datasets:read`: it reads the version and the stored
 * rows of a dataset, and changes neither (it appends a derived record, as a batch prediction does
 * under `predict`). Reading evaluations needs `models:read`: they hold aggregate metrics only,
 * never a row.
 */
import { Repeater } from '@graphql-yoga/subscription';
import type { Db } from '../../lib/db';
import { badInput, notFinite, notFound } from '../../lib/errors';
import type { PubSub } from '../../lib/pubsub';
import { withTenant } from '../../lib/tenant-tx';
import { nestedList } from '../common/cursor';
import { pageWindow, type PageRequest } from '../common/keyset';
import type { EvaluationReport } from '../../ml/evaluation-report';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { DatasetRepo } from '../datasets/dataset.repo';
import { Topics, type EvaluationProgressEvent } from '../events';
import { isTerminal, type RunStatus } from '../status';
import type { Queue } from '../tasks';
import type { EvaluationRepo } from './evaluation.repo';
import type { ModelRepo } from './model.repo';

/** An evaluation as the API shows it. */
export interface EvaluationView {
  id: string;
  modelVersionId: string;
  datasetId: string | null;
  threshold: number;
  status: RunStatus;
  metrics: (EvaluationReport & { skippedRows: number }) | null;
  failureCode: string | null;
  failureMessage: string | null;
  startedByKind: string;
  startedById: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const view = (r: Omit<EvaluationView, 'metrics' | 'status'> & { metrics: unknown; status: string }): EvaluationView => ({
  ...r,
  status: r.status as RunStatus,
  metrics: r.metrics as EvaluationView['metrics'],
});

/** Starting, reading and following a tenant's evaluations. */
export class EvaluationService {
  constructor(
    private readonly prisma: Db,
    private readonly evaluations: EvaluationRepo,
    private readonly models: ModelRepo,
    private readonly datasets: DatasetRepo,
    private readonly audit: AuditRepo,
    private readonly queue: Queue,
    private readonly pubsub: PubSub,
  ) {}

  /**
   * Stores a QUEUED evaluation of the tenant's version on the tenant's dataset, audited, and
   * enqueues it after commit (models:read + datasets:read).
   * @param threshold binary classifiers: the probability from which a row is positive, in [0, 1]. (Default: 0.5)
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (threshold), NOT_FOUND (version or dataset, also
   *   another tenant's or an archived dataset).
   */
  async start(actor: Actor, versionId: string, datasetId: string, threshold = 0.5): Promise<EvaluationView> {
    requireScope(actor, 'models:read');
    requireScope(actor, 'datasets:read');
    if (!Number.isFinite(threshold)) throw notFinite('threshold', threshold);
    if (threshold < 0 || threshold > 1) throw badInput(`threshold ${threshold} must be between 0 and 1`);
    const row = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const version = await this.models.findVersionById(tx, actor.tenantId, versionId);
      if (!version) throw notFound('Model version', versionId);
      const dataset = await this.datasets.find(tx, actor.tenantId, datasetId);
      if (!dataset) throw notFound('Dataset', datasetId);
      const saved = await this.evaluations.create(tx, actor.tenantId, {
        modelVersionId: version.id,
        datasetId: dataset.id,
        threshold,
        startedByKind: actor.kind,
        startedById: actor.id,
      });
      await this.audit.record(tx, actor, {
        action: 'modelEvaluation.started',
        targetType: 'ModelEvaluation',
        targetId: saved.id,
        details: { modelName: version.model.name, version: version.version, datasetId: dataset.id, threshold },
      });
      return saved;
    });
    await this.queue.enqueue('model-evaluation', { tenantId: actor.tenantId, evaluationId: row.id });
    return view(row);
  }

  /** One of the tenant's evaluations (models:read). @throws AppError FORBIDDEN, NOT_FOUND (also another tenant's). */
  async get(actor: Actor, id: string): Promise<EvaluationView> {
    requireScope(actor, 'models:read');
    const row = await withTenant(this.prisma, actor.tenantId, (tx) => this.evaluations.find(tx, actor.tenantId, id));
    if (!row) throw notFound('Evaluation', id);
    return view(row);
  }

  /** Evaluations by id, in `ids` order, null for each unknown or another tenant's (models:read): one statement. @throws AppError FORBIDDEN. */
  async getMany(actor: Actor, ids: readonly string[]): Promise<(EvaluationView | null)[]> {
    requireScope(actor, 'models:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.evaluations.findMany(tx, actor.tenantId, ids));
    const byId = new Map(rows.map((r) => [r.id, view(r)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The evaluations of the tenant's version, newest first (models:read). @throws AppError FORBIDDEN. */
  async ofVersion(actor: Actor, versionId: string): Promise<EvaluationView[]> {
    requireScope(actor, 'models:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.evaluations.listOfVersion(tx, actor.tenantId, versionId));
    return rows.map(view);
  }

  /**
   * A page of the version's evaluations, newest first, optionally of one status (models:read).
   * @throws AppError FORBIDDEN; BAD_USER_INPUT (paging arguments, cursor).
   */
  async pageOfVersion(actor: Actor, versionId: string, args: PageRequest, sizes: { default: number; max: number }, status?: RunStatus) {
    requireScope(actor, 'models:read');
    const window = pageWindow(args, sizes.default, sizes.max, nestedList('evaluations', versionId));
    const page = await withTenant(this.prisma, actor.tenantId, (tx) => this.evaluations.pageOfVersion(tx, actor.tenantId, versionId, window, status));
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: view(e.node) })) };
  }

  /**
   * The evaluation's state now, then each change until it ends (models:read).
   * @throws AppError FORBIDDEN, NOT_FOUND (before the stream starts).
   */
  async progress(actor: Actor, id: string): Promise<AsyncIterable<EvaluationView>> {
    const live = this.pubsub.subscribe(Topics.evaluationProgress(id));
    let current: EvaluationView;
    try {
      current = await this.get(actor, id);
    } catch (err) {
      await live.return();
      throw err;
    }
    return new Repeater<EvaluationView>(async (push, stop) => {
      await push(current);
      let status = current.status;
      const stopped = stop.then(() => ({ done: true as const, value: undefined }));
      while (!isTerminal(status)) {
        const next: IteratorResult<EvaluationProgressEvent, undefined> = await Promise.race([live.next(), stopped]);
        if (next.done) break;
        status = next.value.status;
        // The stored row is the truth (metrics included); the event only says it changed.
        await push(isTerminal(status) ? await this.get(actor, id) : { ...current, status });
      }
      stop();
      await live.return();
    });
  }
}
