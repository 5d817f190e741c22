/**
 * What both processes open, and nothing of the API: database (external or embedded, migrated),
 * TF.js backend, pub/sub, job queue and the ML threads. Used by src/app.ts (API) and
 * src/worker.ts (worker), which must not load Apollo/GraphQL (test/architecture-worker.spec.ts).
 */
import type { Config } from './config';
import { openDatabase, type Database } from './lib/db';
import type { Logger } from './lib/logger';
import { createPgPubSub, type PubSub } from './lib/pubsub';
import { startQueue } from './lib/queue';
import { startTracing, type Tracing } from './lib/tracing/sdk';
import { createMlThreads, type MlThreads } from './ml/threads';
import { configureOnnxRuntime, resolveOnnxRuntime, type OnnxRuntimeOptions } from './ml/families/onnx/runtime';
import { initBackend } from './ml/tf';
import { TASKS, type Queue } from './modules/tasks';

/** The shared infrastructure a process opens once and closes on shutdown. */
export interface Infrastructure {
  db: Database;
  pubsub: PubSub;
  queue: Queue;
  tfBackend: string;
  threads: MlThreads;
  /** OpenTelemetry tracing (on when an OTLP endpoint is configured); shut down last. */
  tracing: Tracing;
}

/**
 * Opens the database, pub/sub and queue shared by API and worker processes, and the ML threads;
 * starts tracing first when configured (src/lib/tracing/sdk.ts).
 * @param serviceName the spans' `service.name` unless OTEL_SERVICE_NAME is set. (Default: maas-api)
 */
export async function openInfrastructure(config: Config, log: Logger, serviceName = 'maas-api'): Promise<Infrastructure> {
  const tracing = await startTracing(config, serviceName, log);
  const db = await openDatabase(config, log);
  const tfBackend = await initBackend(config.TF_BACKEND);
  log.info({ tfBackend }, 'TensorFlow.js backend ready');
  const onnxRuntime = startOnnxRuntime(config, log);
  const pubsub = await createPgPubSub(db.url, log);
  const queue = await startQueue(db.url, log, TASKS, { pollSeconds: config.QUEUE_POLL_SECONDS });
  return { db, pubsub, queue, tfBackend, tracing, threads: createMlThreads(config, { backend: tfBackend, log, onnxRuntime }) };
}

/**
 * Decides the ONNX runtime once (ONNX_RUNTIME; src/ml/families/onnx/runtime.ts) by loading it, and
 * says which one at start-up — and why, when `auto` fell back to onnxruntime-web.
 * @returns the decided runtime, for the ONNX host processes (the setting itself when none loads:
 *   ONNX work then answers NOT_SUPPORTED).
 */
function startOnnxRuntime(config: Config, log: Logger): OnnxRuntimeOptions {
  const nodeModule = config.ONNX_RUNTIME_NODE_MODULE ? { nodeModule: config.ONNX_RUNTIME_NODE_MODULE } : {};
  configureOnnxRuntime({ choice: config.ONNX_RUNTIME, ...nodeModule });
  const onnxRuntime = resolveOnnxRuntime();
  if (onnxRuntime.error) log.warn({ onnxRuntime }, 'No ONNX runtime loads on this server: uploaded ONNX models answer NOT_SUPPORTED');
  else if (onnxRuntime.fallbackReason) log.warn({ onnxRuntime }, 'ONNX runtime: onnxruntime-web (WASM), since onnxruntime-node cannot load here');
  else log.info({ onnxRuntime }, `ONNX runtime: onnxruntime-${onnxRuntime.runtime}`);
  return { choice: onnxRuntime.runtime ?? config.ONNX_RUNTIME, ...nodeModule };
}
