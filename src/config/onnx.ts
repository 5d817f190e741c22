/**
 * Environment variables of uploaded ONNX models: upload size, the host processes that run them
 * (memory, heap, timeouts), which runtime package, and the test-only hooks that production refuses
 * (src/config.ts checks those). Part of the configuration schema (src/config.ts spreads it in);
 * only parses the environment.
 */
import { z } from 'zod';

/** onnxEnv: zod parsers keyed by environment variable, each documented with its default. */
export const onnxEnv = {
  /**
   * Largest uploaded ONNX model file, bytes. It is stored in the version's `weights` bytea column
   * (read whole to open a session anyway): PostgreSQL caps a bytea value at 1 GB, and a row that
   * large needs as much memory again on every read, so the default stays well below. Uploaded
   * bytes also count against the tenant's stored-bytes quota (QUOTA_DATASET_BYTES). (Default: 256 MiB)
   */
  ONNX_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000_000)
    .default(256 * 1024 * 1024),
  /**
   * Resident memory past which an ONNX host process (onnxruntime runs in child processes,
   * src/ml/families/onnx/host/) is killed, MiB: its calls fail with RUNTIME_FAULT (an upload:
   * INVALID_MODEL RUNTIME_CRASH). onnxruntime allocates outside the V8 heap, so the heap limit alone
   * does not bound it. (Default: 2048)
   */
  ONNX_HOST_MAX_RSS_MB: z.coerce.number().int().min(128).max(1_048_576).default(2048),
  /** V8 heap limit of each ONNX host process, MiB (`--max-old-space-size`). (Default: 512) */
  ONNX_HOST_HEAP_MB: z.coerce.number().int().min(64).max(65_536).default(512),
  /**
   * Which package runs ONNX models (src/ml/families/onnx/runtime.ts): `node` (onnxruntime-node, native
   * CPU), `web` (onnxruntime-web's WASM backend in Node, one thread, files from node_modules), or
   * `auto`: node, and web only where the native package cannot load (said in the start-up log).
   * The server decides at start-up and its ONNX host processes use the same. (Default: auto)
   */
  ONNX_RUNTIME: z.enum(['auto', 'node', 'web']).default('auto'),
  /**
   * Tests only, refused when NODE_ENV=production: the module required in place of `onnxruntime-node`
   * (e.g. a missing one, to see ONNX_RUNTIME=auto fall back to onnxruntime-web where the native package loads).
   */
  ONNX_RUNTIME_NODE_MODULE: z.string().min(1).max(200).optional(),
  /** Longest an uploaded ONNX file's validation may take before the upload is refused (INVALID_MODEL, TIMEOUT), ms. (Default: 30,000) */
  ONNX_INSPECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /**
   * Longest one ONNX session load or inference may take, ms: past it the host process is killed, the
   * call fails with MODEL_NOT_READY (`fault: 'RUNTIME_FAULT'`) and the version is quarantined, so a
   * model that never returns (e.g. an unbounded Loop) holds its scoring shard this long at most. (Default: 10,000)
   */
  ONNX_INFER_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /**
   * ONNX host processes per scoring thread (SERVING_ISOLATION=thread), each answering one call at a
   * time: the shard's ONNX lane runs that many calls at once, and one tenant's calls hold at most
   * all but one of them, so another tenant's ONNX call never waits behind one tenant's long call
   * (src/ml/serving/fair-queue.ts). A host starts on first use and loads each model it runs (memory:
   * up to this many copies of a busy model's session, each host bounded by ONNX_HOST_MAX_RSS_MB).
   * 1 gives one lane per shard, as before. (Default: 2)
   */
  ONNX_HOSTS_PER_THREAD: z.coerce.number().int().min(1).max(16).default(2),
  /**
   * Tests only, refused when NODE_ENV=production: `<sha256 prefix>:<inspect|load|infer>:<abort|oom|hang>`
   * (several: comma-separated) makes the ONNX host process crash for real on that file at that step
   * (src/ml/families/onnx/host/host-faults.ts).
   */
  ONNX_HOST_FAULT_INJECTION: z
    .string()
    .max(400)
    // the same pattern as HOST_FAULT_PATTERN in host-faults.ts (test/unit/onnx-host.spec.ts keeps them equal)
    .regex(
      /^[0-9a-f]{8,64}:(inspect|load|infer):(abort|oom|hang)(,[0-9a-f]{8,64}:(inspect|load|infer):(abort|oom|hang))*$/,
      'expected <sha256 prefix>:<inspect|load|infer>:<abort|oom|hang>, several separated by commas',
    )
    .optional(),
};
