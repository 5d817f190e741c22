/** The worker threads a process keeps for ML work off its event loop. */
import type { Logger } from '../lib/logger';
import { createJsonThreads, type JsonThreads } from '../lib/threads/json-tasks';
import { createCsvThreads, type CsvThreads } from './data/csv-tasks';
import type { OnnxHostSettings } from './families/onnx/host/host-process';
import type { OnnxRuntimeOptions } from './families/onnx/runtime';
import { closeOnnxHosts, configureOnnxHosts } from './families/onnx/host/hosts';
import { parseFaultInjection } from './serving/fault-injection';
import { ScoringThreads } from './serving/scoring-threads';
import { DEFAULT_TENANT_BACKOFF } from './serving/tenant-fault-backoff';
import type { BackendName } from './tf';
import { createTrainingThreads, type TrainingThreads } from './train-task';

export interface MlThreads {
  /** CSV decode, parse, profile and correlations, and model export archives (DATA_THREADS threads). */
  csv: CsvThreads;
  /** Training runs (one thread per run this process trains at once). */
  training: TrainingThreads;
  /** Predictions, explanations and batch predictions (SERVING_ISOLATION=thread); undefined when they score inline. */
  scoring?: ScoringThreads;
  /** JSON encoding of large model answers (ANSWER_THREADS threads, src/modules/serving/answer-encoder.ts). */
  answers: JsonThreads;
  /** Waits for running tasks, then stops every thread. */
  close(): Promise<void>;
}

/** The configuration the threads read (a subset of Config). */
export interface MlThreadsConfig {
  DATA_THREADS: number;
  /** Threads encoding large answers' JSON. (Default: 1) */
  ANSWER_THREADS?: number;
  /** Training threads (one per training run this process trains at once). (Default: 1) */
  TRAINING_SLOTS?: number;
  /** More training threads: slots only for tenants with nothing training (src/jobs/slot-counter.ts). (Default: 0) */
  TRAINING_SHARED_SLOTS?: number;
  TRAINING_THREAD_HEAP_MB?: number;
  SERVING_ISOLATION?: 'thread' | 'inline';
  SERVING_THREADS?: number;
  SERVING_THREAD_HEAP_MB?: number;
  SERVING_QUARANTINE_SECONDS?: number;
  SCORING_MAX_QUEUED_PER_TENANT?: number;
  /** Multiply-adds of one scoring-thread call before batch jobs slice it (ml/serving/sliced-score.ts). (Default: unsliced) */
  SCORING_SLICE_WORK?: number;
  SERVING_TENANT_MAX_FAULTS?: number;
  SERVING_TENANT_FAULT_WINDOW_SECONDS?: number;
  SERVING_TENANT_BACKOFF_SECONDS?: number;
  SCORING_FAULT_INJECTION?: string;
  ONNX_HOST_MAX_RSS_MB?: number;
  ONNX_HOST_HEAP_MB?: number;
  ONNX_INSPECT_TIMEOUT_MS?: number;
  ONNX_INFER_TIMEOUT_MS?: number;
  /** ONNX host processes per scoring thread. (Default: 2) */
  ONNX_HOSTS_PER_THREAD?: number;
  ONNX_HOST_FAULT_INJECTION?: string;
}

/** The ONNX host settings in `config` (src/ml/families/onnx/host/hosts.ts). */
function onnxHostSettings(config: MlThreadsConfig, runtime?: OnnxRuntimeOptions): Partial<OnnxHostSettings> {
  return {
    ...(runtime ? { runtime } : {}),
    ...(config.ONNX_HOST_MAX_RSS_MB ? { maxRssMb: config.ONNX_HOST_MAX_RSS_MB } : {}),
    ...(config.ONNX_HOST_HEAP_MB ? { heapMb: config.ONNX_HOST_HEAP_MB } : {}),
    ...(config.ONNX_INSPECT_TIMEOUT_MS ? { inspectTimeoutMs: config.ONNX_INSPECT_TIMEOUT_MS } : {}),
    ...(config.ONNX_INFER_TIMEOUT_MS ? { inferTimeoutMs: config.ONNX_INFER_TIMEOUT_MS } : {}),
    ...(config.ONNX_HOST_FAULT_INJECTION ? { faultInjection: config.ONNX_HOST_FAULT_INJECTION } : {}),
  };
}

/**
 * CSV and answer threads start on first use and exit after a minute idle; training and scoring threads stay up
 * once started. ONNX host processes (uploads validated here, inline serving) start on first use and
 * are ended by `close`; scoring threads end theirs.
 * @param runtime the process' TF.js backend (scoring threads use WASM instead of the native one), its
 *   log, and the ONNX runtime it decided (src/infrastructure.ts), which every ONNX host loads (Default: auto).
 */
export function createMlThreads(config: MlThreadsConfig, runtime: { backend?: string; log?: Logger; onnxRuntime?: OnnxRuntimeOptions } = {}): MlThreads {
  const onnxHost = onnxHostSettings(config, runtime.onnxRuntime);
  configureOnnxHosts(onnxHost);
  const csv = createCsvThreads(config.DATA_THREADS);
  const answers = createJsonThreads(config.ANSWER_THREADS ?? 1);
  // The queue hands this process up to TRAINING_SLOTS + TRAINING_SHARED_SLOTS training runs at once (src/jobs/run-worker.ts), one per thread.
  const training = createTrainingThreads((config.TRAINING_SLOTS ?? 1) + (config.TRAINING_SHARED_SLOTS ?? 0), config.TRAINING_THREAD_HEAP_MB);
  const scoring =
    (config.SERVING_ISOLATION ?? 'thread') === 'thread'
      ? new ScoringThreads({
          threads: config.SERVING_THREADS ?? 1,
          heapMb: config.SERVING_THREAD_HEAP_MB ?? 1024,
          quarantineSeconds: config.SERVING_QUARANTINE_SECONDS ?? 300,
          maxQueuedPerTenant: config.SCORING_MAX_QUEUED_PER_TENANT ?? 256,
          sliceWork: config.SCORING_SLICE_WORK,
          tenantBackoff: {
            maxFaults: config.SERVING_TENANT_MAX_FAULTS ?? DEFAULT_TENANT_BACKOFF.maxFaults,
            windowSeconds: config.SERVING_TENANT_FAULT_WINDOW_SECONDS ?? DEFAULT_TENANT_BACKOFF.windowSeconds,
            backoffSeconds: config.SERVING_TENANT_BACKOFF_SECONDS ?? DEFAULT_TENANT_BACKOFF.backoffSeconds,
          },
          backend: (runtime.backend ?? 'wasm') as BackendName,
          faultInjection: config.SCORING_FAULT_INJECTION ? parseFaultInjection(config.SCORING_FAULT_INJECTION) : undefined,
          onnxHost,
          onnxHostsPerThread: config.ONNX_HOSTS_PER_THREAD ?? 2,
          log: runtime.log,
        })
      : undefined;
  return {
    csv,
    training,
    scoring,
    answers,
    close: async () => {
      await Promise.all([csv.close(), training.close(), scoring?.close(), answers.close(), closeOnnxHosts()]);
    },
  };
}
