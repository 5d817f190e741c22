/**
 * Starts everything an API process needs: database (external or embedded, migrated), TF.js
 * backend, pub/sub, job queue, schema, HTTP + websocket server, and (unless WORKER_ENABLED=false)
 * a training worker in the same process. Used by src/main.ts and by the tests.
 */
import { applyGcThreads } from './lib/gc-threads';
import path from 'node:path';
import type { Config } from './config';
import { jsonBodyThreads } from './graphql/json-body-threads';
import { limitAnswerSize } from './graphql/answer-size';
import { createSchema } from './graphql/schema';
import { startHttpServer, type HttpServer } from './graphql/server';
import { openInfrastructure } from './infrastructure';
import { runWorker, type RunningWorker } from './jobs/run-worker';
import { ping, type Database } from './lib/db';
import type { Logger } from './lib/logger';
import { checkPortFree } from './lib/net';
import { Metrics } from './lib/metrics';
import { projectRoot } from './lib/paths';
import { devSecret } from './lib/secrets';
import type { Tracing } from './lib/tracing/sdk';
import type { MlThreads } from './ml/threads';
import { tf } from './ml/tf';
import { Topics } from './modules/events';
import { createServices, type Services } from './modules/services';
import type { Queue } from './modules/tasks';
import { TrainingRunRepo } from './modules/training/training-run.repo';

/** A running API process (with an in-process worker unless WORKER_ENABLED=false). */
export interface App {
  server: HttpServer;
  services: Services;
  db: Database;
  adminSecret: string;
  tfBackend: string;
  threads: MlThreads;
  /** The in-process worker (WORKER_ENABLED). */
  worker?: RunningWorker;
  /** OpenTelemetry tracing of this process (src/lib/tracing/sdk.ts): `flush()` sends the spans ended so far. */
  tracing: Tracing;
  /** Stops the server, the worker (draining), pub/sub, threads, caches and the database, in that order. */
  stop(): Promise<void>;
}

/** The package version, shown by `serverInfo`. */
export const VERSION: string = require(path.join(projectRoot(), 'package.json')).version;

/** Metrics with the gauges read from shared state at scrape time. */
function createMetrics(db: Database, queue: Queue, config: Config): Metrics {
  const metrics = new Metrics({ tenantLabels: config.METRICS_TENANT_LABELS });
  const runs = new TrainingRunRepo();
  metrics.gauge('maas_queue_depth', 'Jobs waiting to be claimed, per task', ['task'], async () =>
    Object.entries(await queue.depth()).map(([task, value]) => ({ labels: { task }, value })),
  );
  metrics.gauge('maas_training_runs', 'Training runs by status (all tenants)', ['status'], async () =>
    (await runs.countByStatus(db.prisma)).map((r) => ({ labels: { status: r.status }, value: r.count })),
  );
  metrics.gauge('maas_tf_tensors', 'Live TensorFlow.js tensors in this process', [], async () => [{ value: tf.memory().numTensors }]);
  metrics.gauge('maas_tf_bytes', 'Bytes held by TensorFlow.js tensors in this process', [], async () => [{ value: tf.memory().numBytes }]);
  const waits = metrics.counter(
    'maas_db_gate_waits_total',
    "Tenant transactions that waited for a database connection: their tenant's share (TENANT_MAX_DB_CONNECTIONS) or the whole pool was in use",
  );
  const refusals = metrics.counter(
    'maas_db_gate_timeouts_total',
    'Tenant transactions refused after waiting their whole maxWait for a database connection (QUOTA_EXCEEDED, reason DB_CONNECTIONS)',
  );
  db.gate.observe({ waited: () => waits.inc(), timedOut: () => refusals.inc() });
  metrics.gauge('maas_db_gate_waiting', 'Tenant transactions waiting for a database connection now', [], async () => [{ value: db.gate.waiting() }]);
  return metrics;
}

export interface AppOptions {
  /** Extra resolver classes mounted on the same server (the benchmark's no-op baseline). */
  extraResolvers?: Function[];
}

/**
 * Composition root of the API process: infrastructure -> services -> schema -> HTTP + websocket
 * server, then (WORKER_ENABLED) the worker. Subscribes this process' caches to registry changes.
 */
export async function startApp(config: Config, log: Logger, options: AppOptions = {}): Promise<App> {
  applyGcThreads(config);
  // A taken port ends the start here, in one line, before a database, migrations or threads start.
  await checkPortFree(config.HOST, config.PORT);
  const { db, pubsub, queue, tfBackend, threads, tracing } = await openInfrastructure(config, log);
  const dataDir = path.join(projectRoot(), '.data');
  const admin = devSecret(config.ADMIN_SECRET, dataDir, 'admin-secret');
  const jwt = devSecret(config.JWT_SECRET, dataDir, 'jwt-secret');
  if (admin.file) log.info({ file: admin.file }, 'ADMIN_SECRET not set: using the generated secret in this file');
  const metrics = createMetrics(db, queue, config);
  const services = createServices({ prisma: db.prisma, pool: db.pool, metrics, pubsub, queue, threads, config, log, adminSecret: admin.value, jwtSecret: jwt.value });
  metrics.gauge('maas_model_cache_bytes', 'Bytes of models loaded in this process', [], async () => [{ value: services.modelCache.snapshot().bytes }]);
  metrics.gauge('maas_model_cache_entries', 'Model versions loaded in this process', [], async () => [{ value: services.modelCache.snapshot().entries }]);
  const scoring = threads.scoring;
  if (scoring) {
    const faults = metrics.counter('maas_scoring_runtime_faults_total', 'Scoring threads lost to a model that crashed its runtime (the model version is quarantined)');
    scoring.onFault(() => faults.inc());
    metrics.gauge('maas_scoring_threads', 'Scoring threads running in this process', [], async () => [{ value: scoring.stats().running }]);
    metrics.gauge('maas_scoring_quarantined_versions', 'Model versions refused now after crashing their scoring thread', [], async () => [{ value: scoring.stats().quarantined }]);
    metrics.gauge('maas_scoring_retried_calls', 'Calls run again on a fresh scoring thread since the process started', [], async () => [{ value: scoring.stats().retries }]);
  }
  const deletions = pubsub.subscribe(Topics.versionDeleted);
  void (async () => {
    for await (const { modelVersionId, tenantId, modelName } of deletions) {
      services.versions.invalidate(tenantId, modelName);
      services.modelCache.evict(modelVersionId);
      services.exports.evictVersion(modelVersionId);
    }
  })();
  const changes = pubsub.subscribe(Topics.modelChanged);
  void (async () => {
    for await (const { tenantId, modelName } of changes) services.versions.invalidate(tenantId, modelName);
  })();
  if (config.MODEL_CACHE_WARM) {
    const started = Date.now();
    const loaded = await services.predict.warm();
    log.info({ loaded, ms: Date.now() - started, bytes: services.modelCache.snapshot().bytes }, 'model cache warmed');
  }
  const schema = await createSchema(options.extraResolvers);
  limitAnswerSize(schema, config.GRAPHQL_MAX_ANSWER_VALUES); // lists are counted as answers are built (review F8)
  const server = await startHttpServer({
    schema,
    base: { services, config, version: VERSION, jsonBodies: jsonBodyThreads(threads.answers, config.JSON_BODY_THREAD_BYTES, config.ANSWER_THREADS) },
    ready: () => ping(db.prisma),
    pubsub,
    metrics,
    log,
    host: config.HOST,
    port: config.PORT,
  });
  // After the listener: a process that cannot serve (say, the port is taken) exits before it claims work.
  const observePhase = (phase: string, ms: number) => metrics.trainingPhases.observe({ phase }, ms / 1000);
  const worker = config.WORKER_ENABLED ? await runWorker({ prisma: db.prisma, pool: db.pool, pubsub, queue, threads, log, config, observePhase }) : undefined;
  let stopped: Promise<void> | undefined;
  return {
    server,
    services,
    db,
    adminSecret: admin.value,
    tfBackend,
    threads,
    worker,
    tracing,
    stop() {
      // Once: a second signal (Ctrl-C twice, a supervisor's SIGTERM after SIGINT) waits for the same shutdown.
      return (stopped ??= stopOnce());
    },
  };
  /** Closes everything in order. */
  async function stopOnce(): Promise<void> {
    // The listener stops taking requests while the worker drains (a batch prediction in progress
    // finishes its chunks, a training run its epoch); then scoring calls still waiting fail at once
    // and calls stuck in an ONNX host end with it, so the requests waiting on them answer and
    // closing is not held by a hung model.
    const closing = server.close();
    await (worker ? worker.stop() : queue.stop()); // the worker stops the queue after draining
    await threads.scoring?.shutdown();
    await closing;
    await deletions.return();
    await changes.return();
    await pubsub.close();
    await threads.close();
    await services.modelCache.clear();
    await db.close();
    await tracing.shutdown();
  }
}
