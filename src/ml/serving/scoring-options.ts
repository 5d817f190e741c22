/** The options and reports of the scoring threads (./scoring-threads.ts), apart so that file stays about scoring. */
import type { Logger } from '../../lib/logger';
import type { OnnxHostSettings } from '../families/onnx/host/host-process';
import type { BackendName } from '../tf';
import type { FaultInjection } from './fault-injection';
import type { TenantFaultBackoffOptions } from './tenant-fault-backoff';

export interface ScoringThreadsOptions {
  /** Scoring threads (shards). (Default: 1) */
  threads: number;
  /** V8 heap limit of each thread, MiB: a model past it ends its thread alone. */
  heapMb: number;
  /** How long a version that crashed its thread is refused, seconds. */
  quarantineSeconds: number;
  /**
   * Multiply-adds of one call, about, before the batch jobs slice their chunks (SCORING_SLICE_WORK;
   * ./sliced-score.ts). (Default: none, unsliced)
   */
  sliceWork?: number;
  /** Calls one tenant may have waiting or running in one lane of one shard (SCORING_MAX_QUEUED_PER_TENANT). (Default: 256) */
  maxQueuedPerTenant?: number;
  /** The process' backend; threads use WASM when it is the native one (it cannot load twice). */
  backend: BackendName;
  /** When a tenant's ONNX calls are refused after host faults (SERVING_TENANT_*; ./tenant-fault-backoff.ts). (Default: 3 in 600 s → 600 s) */
  tenantBackoff?: TenantFaultBackoffOptions;
  /** Test only (SCORING_FAULT_INJECTION). */
  faultInjection?: FaultInjection[];
  /** How each thread starts its ONNX host processes (src/ml/families/onnx/host/hosts.ts). */
  onnxHost?: Partial<OnnxHostSettings>;
  /** ONNX host processes per thread: the host lane's slots; one tenant holds all but one at most (ONNX_HOSTS_PER_THREAD). (Default: 2) */
  onnxHostsPerThread?: number;
  log?: Logger;
}

/** What /healthz and /metrics report. */
export interface ScoringStats {
  isolation: 'thread';
  /** Configured threads, and those running now. */
  threads: number;
  running: number;
  /** Threads lost to a runtime fault since the process started. */
  faults: number;
  /** Calls run again on a fresh thread because theirs was replaced (their model loaded there again first). */
  retries: number;
  /** Versions refused now after crashing their thread. */
  quarantined: number;
}

/** Told of each runtime fault (for metrics). Carries no tenant. */
export type FaultListener = (fault: { versionId: string; reason: string }) => void;
