/**
 * Publishing a trained model as a new model version: the only code that creates ModelVersion rows
 * (through ModelRepo.addVersion). Called by the training job when a run succeeds, and by
 * upload-version.service.ts for an uploaded model file (no run).
 *
 * Glossary: a *training run* produces at most one *model version*; versions of one *model* (a
 * name per tenant) are numbered 1, 2, … in the order they are published.
 */
import type { Db } from '../../lib/db';
import type { PubSub } from '../../lib/pubsub';
import { LARGE_WRITE, withTenant, type Tx } from '../../lib/tenant-tx';
import type { TrainedModel } from '../../ml/pipeline';
import type { TrainingSpec } from '../../ml/spec-types';
import { versionWarnings } from '../../ml/version-warnings';
import { Topics } from '../events';
import { RunStatus } from '../status';
import type { HeldRun } from '../training/run-lifecycle';
import type { TrainingRunRepo } from '../training/training-run.repo';
import { buildLineage, type RunProvenance, type StoredLineage } from './lineage';
import type { ModelRepo, NewVersion } from './model.repo';

/**
 * The version row a trained model is stored as, with its lineage (when known) and warnings
 * (src/ml/version-warnings.ts).
 */
export function versionRow(runId: string, trained: TrainedModel, lineage?: StoredLineage): NewVersion {
  const loss = lineage ? (lineage.spec as TrainingSpec).loss : undefined;
  return {
    trainingRunId: runId,
    datasetId: lineage?.dataset.id ?? null,
    lineage: lineage ?? null,
    warnings: versionWarnings(trained.metrics, trained.testOutputs, loss),
    task: trained.pipeline.target.task,
    framework: trained.framework,
    topology: trained.artifact.topology,
    weights: trained.artifact.weights,
    inputSchema: { features: trained.pipeline.columns.map((c) => ({ name: c.name, type: c.type })), inputs: trained.inputNames },
    outputSchema: { target: trained.pipeline.target },
    preprocessing: trained.pipeline,
    metrics: {
      ...trained.metrics,
      rows: trained.rows,
      ...(trained.featureImportances ? { featureImportances: trained.featureImportances, featureImportanceMethod: trained.featureImportanceMethod } : {}),
      ...(trained.permutation ? { permutationImportance: trained.permutation } : {}),
      ...(trained.bestEpoch !== undefined ? { bestEpoch: trained.bestEpoch, stoppedEarly: trained.stoppedEarly } : {}),
    },
  };
}

/** Publishes the model versions of successful training runs. */
export class VersionPublisher {
  constructor(
    private readonly prisma: Db,
    private readonly models: ModelRepo,
    private readonly runs: TrainingRunRepo,
    private readonly pubsub: PubSub,
  ) {}

  /**
   * In one transaction of the run's tenant: checks the run is still RUNNING under `run.owner`,
   * adds the next version of `modelName` and marks the run SUCCEEDED. After commit, announces the
   * model change (so caches of "latest" hear of it before anyone hears the run finished).
   * @param provenance what the run's lineage needs besides the model (absent: no lineage, as
   *   versions from before it was recorded).
   * @returns the new version, or undefined when the run was cancelled or taken over meanwhile
   *   (then nothing is written).
   */
  async publish(run: HeldRun, modelName: string, trained: TrainedModel, provenance?: RunProvenance) {
    const { tenantId, runId, owner } = run;
    const version = await withTenant(
      this.prisma,
      tenantId,
      async (t) => {
        // First, so a run cancelled or taken over meanwhile writes nothing (the transaction is empty).
        const finishedAt = new Date();
        if (!(await this.runs.transition(t, tenantId, runId, [RunStatus.RUNNING], { status: RunStatus.SUCCEEDED, finishedAt }, owner))) return undefined;
        const lineage = provenance ? buildLineage(provenance, trained, finishedAt) : undefined;
        return this.models.addVersion(t, tenantId, modelName, versionRow(runId, trained, lineage));
      },
      LARGE_WRITE,
    );
    if (version) await this.pubsub.publish(Topics.modelChanged, { tenantId, modelName });
    return version;
  }

  /**
   * Adds an uploaded model as the next version of `modelName` (created on first use), in one
   * transaction of the tenant that first runs `inTx` (the caller's quota check and audit entry: a
   * refusal there writes nothing); after commit, announces the model change.
   * @returns the new version's summary (no weights).
   */
  async publishUpload(tenantId: string, modelName: string, row: NewVersion, inTx: (t: Tx, addVersion: () => Promise<{ id: string }>) => Promise<void>) {
    const version = await withTenant(
      this.prisma,
      tenantId,
      async (t) => {
        let created: Awaited<ReturnType<ModelRepo['addVersion']>> | undefined;
        await inTx(t, async () => (created = await this.models.addVersion(t, tenantId, modelName, row)));
        if (!created) throw new Error('publishUpload: the version was not added');
        return created;
      },
      LARGE_WRITE,
    );
    await this.pubsub.publish(Topics.modelChanged, { tenantId, modelName });
    return version;
  }
}
