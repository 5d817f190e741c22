/**
 * Starting a training run: the spec is normalised and checked against the dataset, the run is
 * stored QUEUED (under the tenant's concurrent-runs quota) and enqueued after commit. Never trains
 * in the request: src/jobs/training-run.job.ts executes the run, and
 * src/modules/registry/publish-version.ts publishes its model version.
 */
import type { Db } from '../../lib/db';
import { AppError, badInput, notFound } from '../../lib/errors';
import { withTenant } from '../../lib/tenant-tx';
import { annotate, currentTraceparent, inSpan, SpanKind } from '../../lib/tracing/tracer';
import type { ColumnProfile } from '../../ml/data/profile';
import { familyOf } from '../../ml/families/registry';
import type { ImageProfile } from '../../ml/images/profile';
import { normalizeSpec, type LayerSpec, type TrainingSpec } from '../../ml/spec';
import { checkCount, SIZE_LIMITS } from '../../ml/spec-sizes';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { DatasetRepo } from '../datasets/dataset.repo';
import { fairPriority, type QuotaService } from '../quotas/quota.service';
import { FailureCode, RunStatus } from '../status';
import type { Queue } from '../tasks';
import { checkColumns } from './check-columns';
import { checkMetadataDatasets } from './check-metadata';
import { checkImageRun } from './check-images';
import { leavesNetworkToServer, withDefaultNetwork } from './default-network';
import { runPriority } from './run-priority';
import type { StartTrainingRunInput } from './spec.input';
import type { TrainingRunRepo } from './training-run.repo';

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** What starting a run needs. */
export interface StartDeps {
  prisma: Db;
  runs: TrainingRunRepo;
  datasets: DatasetRepo;
  queue: Queue;
  quotas: QuotaService;
  audit: AuditRepo;
}

/** How reproduce(versionId) starts its run (src/modules/registry/reproduce-version.ts). */
export interface StartOptions {
  /** The version being reproduced, recorded on the run. */
  reproducesVersionId?: string;
  /**
   * A spec normalizeSpec already produced (a version's recorded one), used as it is: normalising
   * again is not the identity (defaults it fills in, e.g. an optimizer, are refused for trees).
   */
  normalizedSpec?: TrainingSpec;
  /** Refuse (DATASET_CHANGED) unless the dataset's content checksum is this one, checked in the run's transaction. */
  expectChecksum?: string;
}

/**
 * Validates the spec against the tenant's dataset, stores the run as QUEUED (audited) and enqueues
 * it after commit; a run that cannot be enqueued is marked FAILED and the error rethrown.
 * Needs the `training:run` scope.
 * @returns the stored run (status QUEUED).
 * A NEURAL_NETWORK spec with neither layers nor loss gets them for the target's task
 * (default-network.ts).
 * @throws AppError FORBIDDEN, NOT_FOUND (dataset, also another tenant's), BAD_USER_INPUT (spec,
 *   columns, model name, a recommender's metadata columns), QUOTA_EXCEEDED (concurrent runs, or
 *   the run's cost passes the tenant's training limits: weights, activations, memory, work, or its
 *   estimated time passes twice the tenant's time limit: details.reason 'RUN_TIME_LIMIT'; or no
 *   byte is left of its storage quota for the version: details.reason 'STORAGE'),
 *   DATASET_CHANGED (options.expectChecksum differs).
 */
export function startTrainingRun(deps: StartDeps, actor: Actor, input: StartTrainingRunInput, options: StartOptions = {}) {
  // Traced (src/lib/tracing/): the run stores this span's traceparent; the worker's span links to it.
  return inSpan(
    'training-run.start',
    () => ({ 'maas.tenant.id': actor.tenantId, 'maas.model.name': input.modelName }),
    () => startNow(deps, actor, input, options),
  );
}

async function startNow(deps: StartDeps, actor: Actor, input: StartTrainingRunInput, options: StartOptions) {
  const { prisma, runs, datasets, queue, quotas, audit } = deps;
  requireScope(actor, 'training:run');
  if (!MODEL_NAME.test(input.modelName)) {
    throw badInput(`modelName '${input.modelName}' must be 1-100 letters, digits, '_', '.' or '-', starting with a letter or digit`);
  }
  checkCount('featureColumns', input.featureColumns, SIZE_LIMITS.columns);
  const priority = runPriority(input.priority);
  // A caller with a normalized spec (a sweep's trial, reproduce) sends no `spec` input.
  const specInput = options.normalizedSpec
    ? undefined
    : ({
        ...input.spec,
        layers: input.spec.layers.map((l) => ({ ...l }) as LayerSpec),
        optimizer: input.spec.optimizer ? { ...input.spec.optimizer } : undefined,
      } as Partial<TrainingSpec> & { layers: LayerSpec[] });
  // A network without layers and loss gets them from the target's task, known once the dataset is read.
  const defaultNetwork = specInput !== undefined && leavesNetworkToServer(specInput);
  let spec = options.normalizedSpec ?? (defaultNetwork ? undefined : normalizeSpec(specInput!));
  const { activeBefore, ...run } = await withTenant(prisma, actor.tenantId, async (tx) => {
    const dataset = await datasets.find(tx, actor.tenantId, input.datasetId);
    if (!dataset) throw notFound('Dataset', input.datasetId);
    if (!spec) {
      if (dataset.format === 'image') {
        throw badInput(`Dataset '${dataset.name}' holds images: give spec.model CONVOLUTIONAL_NETWORK with its layers and loss (README: Image recognition)`, {
          field: 'spec.model',
        });
      }
      spec = normalizeSpec(withDefaultNetwork(specInput!, dataset.columns as unknown as ColumnProfile[], input));
    }
    if (options.expectChecksum !== undefined && dataset.checksum !== options.expectChecksum) {
      throw new AppError(
        'DATASET_CHANGED',
        `Dataset '${dataset.name}' changed since the version was trained: its content checksum is ${dataset.checksum ?? 'unknown'}, not ${options.expectChecksum}`,
        {
          field: 'datasetId',
          datasetId: dataset.id,
          expectedChecksum: options.expectChecksum,
          actualChecksum: dataset.checksum,
        },
      );
    }
    const columns = dataset.columns as unknown as ColumnProfile[];
    const family = familyOf(spec.model);
    if (dataset.format !== 'image' && family.inputFormats.every((f) => f === 'image'))
      throw badInput(`spec.model ${family.kind.toUpperCase()} takes ${family.inputFormats.join(' or ')} datasets; dataset '${dataset.name}' is a CSV`);
    const trainingLimits = await quotas.trainingLimits(tx, actor.tenantId);
    const { target, features } =
      dataset.format === 'image'
        ? checkImageRun(dataset.imageProfile as unknown as ImageProfile, input, spec, trainingLimits)
        : checkColumns(columns, dataset.rowCount, input, spec, trainingLimits);
    await checkMetadataDatasets(tx, datasets, actor.tenantId, spec);
    const activeBefore = await quotas.checkConcurrentRuns(tx, actor.tenantId);
    await quotas.checkStorageRoom(tx, actor.tenantId, "This run's model version", 0);
    const created = await runs.create(tx, actor.tenantId, {
      datasetId: dataset.id,
      modelName: input.modelName,
      targetColumn: target,
      featureColumns: features,
      spec: spec as unknown as object,
      priority,
      startedByKind: actor.kind,
      startedById: actor.id,
      traceParent: currentTraceparent(),
      ...(options.reproducesVersionId ? { reproducesVersionId: options.reproducesVersionId } : {}),
    });
    await audit.record(tx, actor, {
      action: 'trainingRun.started',
      targetType: 'TrainingRun',
      targetId: created.id,
      details: { datasetId: dataset.id, modelName: input.modelName, ...(options.reproducesVersionId ? { reproducesVersionId: options.reproducesVersionId } : {}) },
    });
    return { ...created, activeBefore };
  });
  try {
    annotate({ 'maas.run.id': run.id });
    const ticket = { tenantId: actor.tenantId, runId: run.id };
    await inSpan(
      'training-run.enqueue',
      () => ({ 'messaging.operation.type': 'send', 'messaging.destination.name': 'training-run' }),
      () => queue.enqueue('training-run', ticket, { priority: fairPriority(activeBefore) }),
      SpanKind.PRODUCER,
    );
  } catch (err) {
    await withTenant(prisma, actor.tenantId, (tx) =>
      runs.transition(tx, actor.tenantId, run.id, [RunStatus.QUEUED], {
        status: RunStatus.FAILED,
        failureCode: FailureCode.INTERNAL,
        failureMessage: 'The run could not be queued',
        finishedAt: new Date(),
      }),
    );
    throw err;
  }
  return run;
}
