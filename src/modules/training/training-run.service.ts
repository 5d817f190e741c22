/**
 * Training runs: validated and queued here (never trained in the request), executed by the job
 * handler (src/jobs/training-run.job.ts), observed through queries and the progress subscription.
 */
import type { JobQueue } from '../../jobs/queue';
import type { Db } from '../../lib/db';
import { AppError, badInput, notFound } from '../../lib/errors';
import type { PubSub } from '../../lib/pubsub';
import { withTenant } from '../../lib/tenant-tx';
import type { ColumnProfile } from '../../ml/data/profile';
import { normalizeSpec, type LayerSpec, type TrainingSpec } from '../../ml/spec';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { DatasetRepo } from '../datasets/dataset.repo';
import type { QuotaService } from '../quotas/quota.service';
import type { AuditRepo } from '../audit/audit.repo';
import { progressTopic, type ProgressEvent } from './progress';
import type { StartTrainingRunInput } from './spec.input';
import { TERMINAL, type RunStatusValue, type TrainingRunRepo } from './training-run.repo';
import { progressStream } from './progress-stream';
import { checkColumns } from './check-columns';

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export class TrainingRunService {
  constructor(
    private readonly prisma: Db,
    private readonly runs: TrainingRunRepo,
    private readonly datasets: DatasetRepo,
    private readonly queue: JobQueue,
    private readonly pubsub: PubSub,
    private readonly quotas: QuotaService,
    private readonly audit: AuditRepo,
  ) {}

  /**
   * Validates the spec against the dataset, stores the run as QUEUED and enqueues it after commit.
   * @throws AppError NOT_FOUND (dataset), BAD_USER_INPUT (spec, columns, model name), QUOTA_EXCEEDED.
   */
  async start(actor: Actor, input: StartTrainingRunInput) {
    requireScope(actor, 'training:run');
    if (!MODEL_NAME.test(input.modelName)) {
      throw badInput(`modelName '${input.modelName}' must be 1-100 letters, digits, '_', '.' or '-', starting with a letter or digit`);
    }
    const spec = normalizeSpec({
      ...input.spec,
      layers: input.spec.layers.map((l) => ({ ...l }) as LayerSpec),
      optimizer: input.spec.optimizer ? { ...input.spec.optimizer } : undefined,
    } as Partial<TrainingSpec> & { layers: LayerSpec[] });
    const run = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const dataset = await this.datasets.find(tx, actor.tenantId, input.datasetId);
      if (!dataset) throw notFound('Dataset', input.datasetId);
      const columns = dataset.columns as unknown as ColumnProfile[];
      const { target, features } = checkColumns(columns, dataset.rowCount, input, spec);
      await this.quotas.checkConcurrentRuns(tx, actor.tenantId);
      const created = await this.runs.create(tx, actor.tenantId, {
        datasetId: dataset.id,
        modelName: input.modelName,
        targetColumn: target,
        featureColumns: features,
        spec: spec as unknown as object,
      });
      await this.audit.record(tx, actor, {
        action: 'trainingRun.started',
        targetType: 'TrainingRun',
        targetId: created.id,
        details: { datasetId: dataset.id, modelName: input.modelName },
      });
      return created;
    });
    try {
      await this.queue.enqueue('training-run', { tenantId: actor.tenantId, runId: run.id });
    } catch (err) {
      await withTenant(this.prisma, actor.tenantId, (tx) =>
        this.runs.transition(tx, actor.tenantId, run.id, ['QUEUED'], {
          status: 'FAILED',
          failureCode: 'INTERNAL_SERVER_ERROR',
          failureMessage: 'The run could not be queued',
          finishedAt: new Date(),
        }),
      );
      throw err;
    }
    return run;
  }

  /** @throws AppError NOT_FOUND. */
  async get(actor: Actor, id: string) {
    requireScope(actor, 'training:read');
    const run = await withTenant(this.prisma, actor.tenantId, (tx) => this.runs.find(tx, actor.tenantId, id));
    if (!run) throw notFound('Training run', id);
    return run;
  }

  async list(actor: Actor, take: number, status?: RunStatusValue) {
    requireScope(actor, 'training:read');
    return withTenant(this.prisma, actor.tenantId, (tx) => this.runs.list(tx, actor.tenantId, take, status));
  }

  async metrics(actor: Actor, runId: string) {
    requireScope(actor, 'training:read');
    return withTenant(this.prisma, actor.tenantId, (tx) => this.runs.metrics(tx, actor.tenantId, runId));
  }

  async versionId(actor: Actor, runId: string): Promise<string | null> {
    const v = await withTenant(this.prisma, actor.tenantId, (tx) => this.runs.versionOf(tx, actor.tenantId, runId));
    return v?.id ?? null;
  }

  /**
   * Cancels a QUEUED or RUNNING run. A running one stops after its current epoch.
   * @throws AppError NOT_FOUND, INVALID_STATE (already finished).
   */
  async cancel(actor: Actor, id: string) {
    requireScope(actor, 'training:run');
    const run = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const found = await this.runs.find(tx, actor.tenantId, id);
      if (!found) throw notFound('Training run', id);
      const moved = await this.runs.transition(tx, actor.tenantId, id, ['QUEUED', 'RUNNING'], { status: 'CANCELLED', finishedAt: new Date() });
      if (!moved) throw new AppError('INVALID_STATE', `Training run '${id}' has already finished with status ${found.status}`);
      await this.audit.record(tx, actor, { action: 'trainingRun.cancelled', targetType: 'TrainingRun', targetId: id });
      return this.runs.find(tx, actor.tenantId, id);
    });
    await this.pubsub.publish(progressTopic(id), { runId: id, kind: 'FINAL', status: 'CANCELLED' } satisfies ProgressEvent);
    return run!;
  }

  /**
   * Progress of a run: first the epochs already stored, then live events, ending with FINAL.
   * @throws AppError NOT_FOUND (before the stream starts) for another tenant's or an unknown run.
   */
  async progress(actor: Actor, runId: string): Promise<AsyncIterable<ProgressEvent>> {
    requireScope(actor, 'training:read');
    const live = this.pubsub.subscribe<ProgressEvent>(progressTopic(runId));
    try {
      const { run, stored, versionId } = await withTenant(this.prisma, actor.tenantId, async (tx) => {
        const found = await this.runs.find(tx, actor.tenantId, runId);
        if (!found) throw notFound('Training run', runId);
        return {
          run: found,
          stored: await this.runs.metrics(tx, actor.tenantId, runId),
          versionId: (await this.runs.versionOf(tx, actor.tenantId, runId))?.id ?? null,
        };
      });
      return progressStream(run, stored, versionId, live, TERMINAL);
    } catch (err) {
      await live.return();
      throw err;
    }
  }
}
