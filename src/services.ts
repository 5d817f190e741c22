/**
 * Composition: repos -> services, shared by the API (src/main.ts), the worker (src/worker.ts)
 * and the tests.
 */
import type pg from 'pg';
import type { Config } from './config';
import type { JobQueue, TaskHandlers } from './jobs/queue';
import { batchPredictionHandler } from './jobs/batch-prediction.job';
import { trainingRunHandler } from './jobs/training-run.job';
import type { WorkerState } from './jobs/worker-state';
import type { Db } from './lib/db';
import type { Logger } from './lib/logger';
import type { PubSub } from './lib/pubsub';
import type { MlThreads } from './ml/threads';
import type { TrainingThreads } from './ml/train-task';
import { AuditRepo } from './modules/audit/audit.repo';
import { AuditService } from './modules/audit/audit.service';
import { ApiKeyRepo } from './modules/auth/api-key.repo';
import { ApiKeyService } from './modules/auth/api-key.service';
import { AuthService } from './modules/auth/auth.service';
import { DatasetRepo } from './modules/datasets/dataset.repo';
import { DatasetService } from './modules/datasets/dataset.service';
import { AliasService } from './modules/registry/alias.service';
import { DeleteVersionService } from './modules/registry/delete-version.service';
import { ModelRepo } from './modules/registry/model.repo';
import { ModelService } from './modules/registry/model.service';
import { QuotaService } from './modules/quotas/quota.service';
import { BatchPredictionService } from './modules/serving/batch.service';
import { ModelCache } from './modules/serving/model-cache';
import type { ServedModel } from './modules/serving/served-model';
import { VersionResolver } from './modules/serving/version-resolver';
import type { Metrics } from './lib/metrics';
import { PredictService } from './modules/serving/predict.service';
import { ExplainService } from './modules/serving/explain.service';
import { TenantRepo } from './modules/tenants/tenant.repo';
import { TenantService } from './modules/tenants/tenant.service';
import { TrainingRunRepo } from './modules/training/training-run.repo';
import { TrainingRunService } from './modules/training/training-run.service';

export interface Deps {
  prisma: Db;
  metrics: Metrics;
  pool: pg.Pool;
  pubsub: PubSub;
  queue: JobQueue;
  /** Worker threads for CSV work and training. */
  threads: MlThreads;
  config: Config;
  log: Logger;
  adminSecret: string;
  jwtSecret: string;
}

export interface Services {
  auth: AuthService;
  apiKeys: ApiKeyService;
  deleteVersion: DeleteVersionService;
  aliases: AliasService;
  audit: AuditService;
  tenants: TenantService;
  datasets: DatasetService;
  training: TrainingRunService;
  models: ModelService;
  predict: PredictService;
  explain: ExplainService;
  modelCache: ModelCache<ServedModel>;
  versions: VersionResolver;
  batch: BatchPredictionService;
}

function repos() {
  return { datasets: new DatasetRepo(), runs: new TrainingRunRepo(), models: new ModelRepo() };
}

export function createServices(deps: Deps): Services {
  const { prisma, config } = deps;
  const r = repos();
  const modelCache = new ModelCache<ServedModel>(config.MODEL_CACHE_BYTES, {
    onHit: () => deps.metrics.cacheHits.inc(),
    onMiss: () => deps.metrics.cacheMisses.inc(),
  });
  const versions = new VersionResolver(prisma);
  const audit = new AuditRepo();
  const quotas = new QuotaService(
    {
      maxConcurrentRuns: config.QUOTA_CONCURRENT_RUNS,
      maxDatasetBytes: config.QUOTA_DATASET_BYTES,
      predictionsPerMinute: config.QUOTA_PREDICTIONS_PER_MINUTE,
    },
    deps.pool,
  );
  const auth = new AuthService(
    prisma,
    {
      ...(config.JWT_PRIVATE_KEY && config.JWT_PUBLIC_KEY
        ? { algorithm: 'RS256' as const, signingKey: config.JWT_PRIVATE_KEY, verifyKey: config.JWT_PUBLIC_KEY }
        : { algorithm: 'HS256' as const, signingKey: deps.jwtSecret, verifyKey: deps.jwtSecret }),
      ttlSeconds: config.JWT_TTL_SECONDS,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    },
    audit,
    );
  const predict = new PredictService(prisma, versions, modelCache, quotas, deps.metrics, {
    maxRows: config.MAX_PREDICT_ROWS,
    batching: { maxRows: config.BATCH_MAX_ROWS, maxWaitMs: config.BATCH_MAX_WAIT_MS },
  });
  return {
    auth,
    deleteVersion: new DeleteVersionService(prisma, audit, deps.pubsub, (e) => {
      versions.invalidate(e.tenantId, e.modelName);
      modelCache.evict(e.modelVersionId);
    }),
    aliases: new AliasService(prisma, audit, deps.pubsub, (tenantId, modelName) => versions.invalidate(tenantId, modelName)),
    apiKeys: new ApiKeyService(prisma, new ApiKeyRepo(), audit, deps.pubsub, (id) => auth.forgetKey(id)),
    audit: new AuditService(prisma, audit),
    tenants: new TenantService(new TenantRepo(prisma), deps.adminSecret),
    datasets: new DatasetService(prisma, r.datasets, quotas, audit, deps.threads.csv, { maxColumns: config.MAX_DATASET_COLUMNS }),
    training: new TrainingRunService(prisma, r.runs, r.datasets, deps.queue, deps.pubsub, quotas, audit),
    models: new ModelService(prisma, r.models),
    predict,
    explain: new ExplainService(predict, quotas, { maxRows: config.MAX_EXPLAIN_ROWS, maxCells: config.MAX_EXPLAIN_CELLS }),
    versions,
    batch: new BatchPredictionService(prisma, versions, deps.queue, deps.pubsub),
    modelCache,
  };
}

/** The worker's task handlers. */
export function createTaskHandlers(
  deps: Pick<Deps, 'prisma' | 'pubsub' | 'log' | 'queue' | 'threads'> & { state: WorkerState; leaseMs: number; trainer: TrainingThreads | 'main-thread' },
): TaskHandlers {
  return {
    'training-run': trainingRunHandler({ ...deps, ...repos() }),
    'batch-prediction': batchPredictionHandler({ ...deps, threads: deps.threads.csv }),
  };
}
