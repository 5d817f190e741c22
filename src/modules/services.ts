/**
 * Composition of the API process' services: repos -> services. Used by src/app.ts and, through
 * the GraphQL context, by the resolvers. The worker does not use it (src/jobs/handlers.ts).
 */
import type pg from 'pg';
import type { Config } from '../config';
import { defaultLimits } from './quotas/tenant-limits';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import type { PubSub } from '../lib/pubsub';
import type { MlThreads } from '../ml/threads';
import { parseFaultInjection } from '../ml/serving/fault-injection';
import type { ScoringStats } from '../ml/serving/scoring-threads';
import { AuditService } from './audit/audit.service';
import { ApiKeyService } from './auth/api-key.service';
import { AuthThrottle } from './auth/auth-throttle';
import { AuthService } from './auth/auth.service';
import { DatasetService } from './datasets/dataset.service';
import { ImageDatasetService } from './datasets/image-dataset.service';
import { QuotaService } from './quotas/quota.service';
import { AliasService } from './registry/alias.service';
import { StageService } from './registry/stage.service';
import { EvaluationService } from './registry/evaluation.service';
import { DeleteModelService } from './registry/delete-model.service';
import { DeleteVersionService } from './registry/delete-version.service';
import { ExportService } from './registry/export.service';
import { LineageService } from './registry/lineage.service';
import { ModelService } from './registry/model.service';
import { VersionPublisher } from './registry/publish-version';
import { UploadVersionService } from './registry/upload-version.service';
import { createRepos } from './repos';
import { BatchPredictionService } from './serving/batch.service';
import { ExplainService } from './serving/explain.service';
import { ImageDecoder } from './serving/image-decoder';
import { ImagePredictService } from './serving/image-predict.service';
import { InferService } from './serving/infer.service';
import { AnswerEncoder } from './serving/answer-encoder';
import { RequestsInFlight } from './quotas/requests-in-flight';
import { ModelCache } from './serving/model-cache';
import { ItemMetadataCatalog } from './serving/item-metadata';
import { PredictService } from './serving/predict.service';
import { RecommendService } from './serving/recommend.service';
import type { ServedModel } from './serving/served-model';
import { VersionResolver } from './serving/version-resolver';
import type { Queue } from './tasks';
import type { VersionDeletedEvent } from './events';
import { AdminGuard } from './tenants/admin-guard';
import { AdminThrottle } from './tenants/admin-throttle';
import { TenantLimitsService } from './quotas/tenant-limits.service';
import { TenantAdminService } from './tenants/tenant-admin.service';
import { TenantService } from './tenants/tenant.service';
import { TrainingRunService } from './training/training-run.service';
import { NodeService } from './nodes/node.service';
import { SweepService } from './sweeps/sweep.service';
import { Quarantine } from '../ml/serving/quarantine';
import { TenantFaultBackoff } from '../ml/serving/tenant-fault-backoff';

/** What the API's services are built from. */
export interface Deps {
  prisma: Db;
  metrics: Metrics;
  pool: pg.Pool;
  pubsub: PubSub;
  queue: Queue;
  /** Worker threads for CSV work and training. */
  threads: MlThreads;
  config: Config;
  log: Logger;
  adminSecret: string;
  jwtSecret: string;
}

/** Every service of the API process (reached by resolvers through the GraphQL context). */
export interface Services {
  auth: AuthService;
  apiKeys: ApiKeyService;
  deleteVersion: DeleteVersionService;
  deleteModel: DeleteModelService;
  lineage: LineageService;
  uploadVersion: UploadVersionService;
  aliases: AliasService;
  stages: StageService;
  evaluations: EvaluationService;
  audit: AuditService;
  tenants: TenantService;
  datasets: DatasetService;
  imageDatasets: ImageDatasetService;
  training: TrainingRunService;
  sweeps: SweepService;
  models: ModelService;
  exports: ExportService;
  predict: PredictService;
  explain: ExplainService;
  recommend: RecommendService;
  imagePredict: ImagePredictService;
  /** Where predictImage / explainImage decode PNG/JPEG files (the data threads); its stats. */
  imageDecoder: ImageDecoder;
  /** Named-tensor inference (V2 REST, GraphQL infer). */
  infer: InferService;
  modelCache: ModelCache<ServedModel>;
  /** Where predictions score, for /healthz: the scoring threads' figures, or inline. */
  scoring(): ScoringStats | { isolation: 'inline'; quarantined: number };
  versions: VersionResolver;
  batch: BatchPredictionService;
  /** Objects by id alone (node, nodes). */
  nodes: NodeService;
  limits: TenantLimitsService;
  tenantAdmin: TenantAdminService;
  authThrottle: AuthThrottle;
  /** Each tenant's HTTP requests in progress on this process (its maxRequestsInFlight, else TENANT_MAX_IN_FLIGHT). */
  inFlight: RequestsInFlight;
}

/** Builds the repos and the services on them. */
export function createServices(deps: Deps): Services {
  const { prisma, config } = deps;
  const r = createRepos(prisma);
  const modelCache = new ModelCache<ServedModel>(
    config.MODEL_CACHE_BYTES,
    { onHit: () => deps.metrics.cacheHits.inc(), onMiss: () => deps.metrics.cacheMisses.inc() },
    config.MODEL_CACHE_TENANT_SHARE,
  );
  const versions = new VersionResolver(prisma, r);
  // Inline scoring's quarantine (the scoring threads keep their own): see scoring-guard.ts.
  const inlineQuarantine = deps.threads.scoring ? undefined : new Quarantine(config.SERVING_QUARANTINE_SECONDS);
  const inlineBackoff = deps.threads.scoring
    ? undefined
    : new TenantFaultBackoff(
        { maxFaults: config.SERVING_TENANT_MAX_FAULTS, windowSeconds: config.SERVING_TENANT_FAULT_WINDOW_SECONDS, backoffSeconds: config.SERVING_TENANT_BACKOFF_SECONDS },
        { log: deps.log },
      );
  const quotas = new QuotaService(defaultLimits(config), deps.pool, prisma, r);
  const adminThrottle = new AdminThrottle({ failuresPerHour: config.ADMIN_FAILURES_PER_HOUR, tenantsPerHour: config.TENANTS_PER_HOUR }, deps.pool);
  const adminGuard = new AdminGuard(deps.adminSecret, adminThrottle);
  const auth = new AuthService(
    prisma,
    r.apiKeys,
    {
      ...(config.JWT_PRIVATE_KEY && config.JWT_PUBLIC_KEY
        ? { algorithm: 'RS256' as const, signingKey: config.JWT_PRIVATE_KEY, verifyKey: config.JWT_PUBLIC_KEY }
        : { algorithm: 'HS256' as const, signingKey: deps.jwtSecret, verifyKey: deps.jwtSecret }),
      ttlSeconds: config.JWT_TTL_SECONDS,
      maxLifetimeSeconds: config.JWT_MAX_LIFETIME_SECONDS,
      clockSkewSeconds: config.JWT_CLOCK_SKEW_SECONDS,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    },
    r.audit,
  );
  const apiKeys = new ApiKeyService(prisma, r.apiKeys, r.audit, deps.pubsub, (id) => auth.forgetKey(id));
  const datasets = new DatasetService(
    prisma,
    r.datasets,
    r.runs,
    quotas,
    r.audit,
    deps.threads.csv,
    {
      maxColumns: config.MAX_DATASET_COLUMNS,
      maxCellChars: config.DATASET_MAX_CELL_CHARS,
      // A tenant never holds every CSV thread: one long parse of it leaves a thread to the others.
      tasksPerTenant: Math.min(config.DATA_TASKS_PER_TENANT, Math.max(1, config.DATA_THREADS - 1)),
      retentionDays: config.DATASET_ARCHIVE_RETENTION_DAYS,
    },
    r.models,
    r.batches,
    r.evaluations,
    deps.pubsub,
  );
  const predict = new PredictService(
    prisma,
    r.models,
    versions,
    modelCache,
    quotas,
    deps.metrics,
    {
      maxRows: config.MAX_PREDICT_ROWS,
      batching: { maxRows: config.BATCH_MAX_ROWS, maxWaitMs: config.BATCH_MAX_WAIT_MS },
      threads: deps.threads.scoring,
      inlineMaxMacs: config.INLINE_SCORING_MAX_MACS,
      sliceWork: config.SCORING_SLICE_WORK,
      injectAbortInline: deps.threads.scoring ? undefined : inlineAbortInjection(config.SCORING_FAULT_INJECTION),
      quarantine: inlineQuarantine,
      backoff: inlineBackoff,
    },
    deps.log,
  );
  const exports = new ExportService(prisma, r.models, versions, r.audit, deps.threads.csv, (tenantId, fn) => datasets.onThread(tenantId, fn), config.EXPORT_CACHE_BYTES);
  const evictVersion = (e: VersionDeletedEvent) => {
    versions.invalidate(e.tenantId, e.modelName);
    modelCache.evict(e.modelVersionId);
    exports.evictVersion(e.modelVersionId);
  };
  const imageDecoder = new ImageDecoder(deps.threads.csv, {
    maxCallPixels: config.MAX_IMAGE_PIXELS_PER_CALL,
    threads: config.DATA_THREADS,
    // As CSV tasks: one tenant never holds every data thread.
    threadsPerTenant: Math.min(config.DATA_TASKS_PER_TENANT, Math.max(1, config.DATA_THREADS - 1)),
  });
  const training = new TrainingRunService({ prisma, runs: r.runs, datasets: r.datasets, queue: deps.queue, quotas, audit: r.audit }, deps.pubsub);
  return {
    auth,
    deleteVersion: new DeleteVersionService(prisma, r.models, r.aliases, r.audit, deps.pubsub, evictVersion),
    deleteModel: new DeleteModelService(prisma, r.models, r.aliases, r.audit, deps.pubsub, evictVersion),
    lineage: new LineageService(prisma, r.models, r.runs, r.datasets, training),
    uploadVersion: new UploadVersionService(
      new VersionPublisher(prisma, r.models, r.runs, deps.pubsub),
      quotas,
      r.audit,
      { maxBytes: config.ONNX_MAX_UPLOAD_BYTES, maxImagePixels: config.MAX_IMAGE_PIXELS },
      (tenantId, modelName) => versions.invalidate(tenantId, modelName),
      (tenantId, sha256) => deps.threads.scoring?.quarantinedFile(tenantId, sha256),
    ),
    aliases: new AliasService(prisma, r.aliases, r.models, r.audit, deps.pubsub, (tenantId, modelName) => versions.invalidate(tenantId, modelName)),
    stages: new StageService(prisma, r.stages, r.models, r.audit, deps.pubsub, (tenantId, modelName) => versions.invalidate(tenantId, modelName)),
    evaluations: new EvaluationService(prisma, r.evaluations, r.models, r.datasets, r.audit, deps.queue, deps.pubsub),
    apiKeys,
    audit: new AuditService(prisma, r.audit),
    tenants: new TenantService(r.tenants, adminGuard, adminThrottle),
    limits: new TenantLimitsService(prisma, adminGuard, r, quotas),
    tenantAdmin: new TenantAdminService(r.tenants, adminGuard, apiKeys),
    nodes: new NodeService(prisma, r.nodes),
    datasets,
    imageDatasets: new ImageDatasetService(
      prisma,
      r.datasets,
      quotas,
      r.audit,
      deps.threads.csv,
      { maxImages: config.MAX_DATASET_IMAGES, maxPixelsPerImage: config.MAX_IMAGE_PIXELS },
      (tenantId, fn) => datasets.onThread(tenantId, fn),
    ),
    training,
    sweeps: new SweepService({ prisma, runs: r.runs, datasets: r.datasets, queue: deps.queue, quotas, audit: r.audit, sweeps: r.sweeps }, deps.pubsub),
    models: new ModelService(prisma, r.models),
    exports,
    predict,
    explain: new ExplainService(
      predict,
      quotas,
      {
        maxRows: config.MAX_EXPLAIN_ROWS,
        maxCells: config.MAX_EXPLAIN_CELLS,
        maxRowWork: config.MAX_EXPLAIN_ROW_WORK,
        maxWork: config.MAX_EXPLAIN_WORK,
      },
      deps.log,
    ),
    recommend: new RecommendService(predict, quotas, new ItemMetadataCatalog(prisma, r.datasets)),
    imagePredict: new ImagePredictService(predict, quotas, { maxImages: config.MAX_PREDICT_IMAGES }, imageDecoder),
    imageDecoder,
    infer: new InferService(versions, predict, quotas, deps.metrics, {
      maxRows: config.MAX_PREDICT_ROWS,
      maxImages: config.MAX_PREDICT_IMAGES,
      batching: { maxRows: config.BATCH_MAX_ROWS, maxWaitMs: config.BATCH_MAX_WAIT_MS },
      onOversizedOutput: (tenantId) => (deps.threads.scoring ? deps.threads.scoring.countTenantFault(tenantId) : inlineBackoff?.record(tenantId)),
      encoder: new AnswerEncoder(deps.threads.answers, config.ANSWER_THREADS, config.SCORING_MAX_QUEUED_PER_TENANT),
    }),
    versions,
    batch: new BatchPredictionService(prisma, r.batches, r.datasets, versions, deps.queue, deps.pubsub, quotas),
    modelCache,
    authThrottle: new AuthThrottle({ failures: config.AUTH_FAILURES_PER_ADDRESS, windowSeconds: config.AUTH_FAILURE_WINDOW_SECONDS }, deps.pool),
    inFlight: new RequestsInFlight(quotas),
    scoring: () => deps.threads.scoring?.stats() ?? { isolation: 'inline' as const, quarantined: inlineQuarantine?.size() ?? 0 },
  };
}

/** The versions whose inline scoring aborts (SCORING_FAULT_INJECTION with mode abort; tests only). */
function inlineAbortInjection(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  return parseFaultInjection(value).flatMap((f) => (f.mode === 'abort' ? [f.versionId] : []));
}
