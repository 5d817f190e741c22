/**
 * Configuration: the environment, parsed and validated once at start.
 * Every bad value stops the process with a message naming the variable and the value.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { authEnv } from './config/auth';
import { bool } from './config/bool';
import { databaseEnv, defaultTenantShare } from './config/database';
import { httpEnv } from './config/http';
import { onnxEnv } from './config/onnx';
import { scoringWorkEnv } from './config/scoring-work';
import { tracingEnv } from './config/tracing';
import { trainingQueueEnv } from './config/training-queue';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** HTTP and websocket port. 0 picks a free one. (Default: 4000) */
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  /** PostgreSQL URL. When unset, an embedded PostgreSQL is started under EMBEDDED_PG_DIR. */
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_DIR: z.string().default('.data/postgres'),
  /** Port of the embedded PostgreSQL. 0 picks a free one. (Default: 54329) */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(54329),
  ...databaseEnv,
  ...authEnv,
  /** Run a training worker inside the API process. (Default: true) */
  WORKER_ENABLED: bool.default(true),
  ...trainingQueueEnv,
  /** Force a TF.js backend: tensorflow (tfjs-node), wasm or cpu. (Default: best available) */
  TF_BACKEND: z.enum(['tensorflow', 'wasm', 'cpu']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Most rows one `predict` call may send. (Default: 10000) */
  MAX_PREDICT_ROWS: z.coerce.number().int().min(1).default(10_000),
  /** Columns of an uploaded CSV (each gets a stored profile). (Default: 5,000) */
  MAX_DATASET_COLUMNS: z.coerce.number().int().min(1).default(5_000),
  /**
   * Longest cell of an uploaded CSV, characters: one huge cell would be copied into the stored
   * profile (its most frequent values) and every answer that shows it. (Default: 65,536)
   */
  DATASET_MAX_CELL_CHARS: z.coerce.number().int().min(1).max(100_000_000).default(65_536),
  /** Images per image dataset. (Default: 100,000) */
  MAX_DATASET_IMAGES: z.coerce.number().int().min(1).default(100_000),
  /** Pixels (height × width) per image of an image dataset. (Default: 262,144 = 512 × 512) */
  MAX_IMAGE_PIXELS: z.coerce
    .number()
    .int()
    .min(1)
    .default(512 * 512),
  /**
   * Values (elements, summed over the output tensors) one `infer` call may answer with, unless the
   * tenant's limits say otherwise (setTenantLimits `inferMaxOutputValues`): a model can answer far
   * more than JSON can carry (ConstantOfShape of 30,000,000 overflows V8's string), and a large
   * answer costs the API process event-loop time every tenant shares. Checked before scoring from
   * the declared output shapes × the batch, and after. One super-resolution image, [1,1,672,672]
   * (451,584 values), fits; two do not. At most 2^26. (Default: 524,288 = 2^19, ≈ 2 MB of float32)
   */
  INFER_MAX_OUTPUT_VALUES: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 26)
    .default(512 * 1024),
  /** Images per predictImage / explainImage call. (Default: 64) */
  MAX_PREDICT_IMAGES: z.coerce.number().int().min(1).default(64),
  /**
   * Pixels (width × height, summed over the images) one predictImage / explainImage call may send
   * as PNG/JPEG files, counted from their headers before any decoding (BAD_USER_INPUT past it): the
   * decoding is pure JavaScript, on a data thread (src/modules/serving/image-decoder.ts), and this
   * bounds what one call holds a thread for. Measured on the 2 shared cores (review F11), a
   * 4096 × 4096 PNG decodes and resizes in ~0.6 s on an idle thread (~1.1 s under load); the default is
   * that one image's worth (or 64 images of 512 × 512), at most ~1 s of one thread. At least
   * MAX_IMAGE_PIXELS' 16,777,216 would let every largest image through alone. (Default: 16,777,216)
   */
  MAX_IMAGE_PIXELS_PER_CALL: z.coerce
    .number()
    .int()
    .min(1)
    .default(4096 * 4096),
  ...scoringWorkEnv,
  /** Largest accepted CSV upload, bytes. (Default: 50 MiB) */
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(50 * 1024 * 1024),
  ...onnxEnv,
  /** Per-tenant quota: QUEUED + RUNNING training runs at once. (Default: 4) */
  QUOTA_CONCURRENT_RUNS: z.coerce.number().int().min(1).default(4),
  /**
   * Per-tenant default: training runs RUNNING at once across every worker; a tenant's further
   * queued runs wait while other tenants' runs take the free slots (src/jobs/fair-claim.ts). (Default: 2)
   */
  QUOTA_RUNNING_RUNS: z.coerce.number().int().min(1).max(10_000).default(2),
  /** Per-tenant quota: QUEUED + RUNNING batch predictions at once. (Default: 4) */
  QUOTA_CONCURRENT_BATCHES: z.coerce.number().int().min(1).max(10_000).default(4),
  /**
   * Days an archived dataset (deleteDataset with force) keeps its rows, restorable with
   * restoreDataset, before the worker's purge empties them for good; its bytes count against the
   * tenant's quota until then. 0 purges at once. (Default: 30)
   */
  DATASET_ARCHIVE_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(30),
  /** Per-tenant quota: total bytes of stored datasets. (Default: 1 GiB) */
  QUOTA_DATASET_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(1024 ** 3),
  /**
   * Per-tenant rate limit: rows predicted per minute, across all API processes. At most 2e9: the
   * shared counter is a PostgreSQL integer (rate-limiter-flexible's table). (Default: 1,000,000)
   */
  QUOTA_PREDICTIONS_PER_MINUTE: z.coerce.number().int().min(1).max(2_000_000_000).default(1_000_000),
  /**
   * Per-tenant limit: weights of one training run's network. The TRAINING_MAX_* defaults are
   * DEFAULT_COST_LIMITS (derived in src/ml/cost-limits.ts; a test keeps them equal). (Default: 5,000,000)
   */
  TRAINING_MAX_PARAMETERS: z.coerce.number().int().min(1).default(5_000_000),
  /** Per-tenant limit: activations per batch, batchSize × (inputs + Σ layer widths). (Default: 4,194,304) */
  TRAINING_MAX_ACTIVATIONS: z.coerce.number().int().min(1).default(4_194_304),
  /** Per-tenant limit: estimated memory of one training run, bytes. (Default: 512 MiB) */
  TRAINING_MAX_MEMORY_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(512 * 1024 ** 2),
  /** Per-tenant limit: weights · training rows · epochs of one run (about 1e9 a second on WASM). (Default: 1e12) */
  TRAINING_MAX_WORK: z.coerce.number().min(1).max(Number.MAX_SAFE_INTEGER).default(1e12),
  /**
   * Per-tenant limit: wall-clock seconds one training run may take, from its claim by a worker; past
   * it the run's thread is ended and the run FAILED with TIME_LIMIT_EXCEEDED (with TRAINING_THREAD=main:
   * at the end of its current epoch). startTrainingRun refuses runs estimated past twice it
   * (src/ml/run-time.ts). At most 604,800 (7 days). (Default: 3600)
   */
  TRAINING_MAX_RUN_SECONDS: z.coerce.number().int().min(1).max(604_800).default(3600),
  /**
   * Fair share of training slots: when a tenant's run has waited QUEUED this many seconds with
   * nothing of that tenant running (every slot is taken), a tenant holding two or more running
   * runs gives up its most recently started one, which goes back to the queue (REQUEUED event) and
   * starts over later; a tenant never loses its last running run. 0 turns pre-emption off.
   * (Default: 10)
   */
  TRAINING_PREEMPT_AFTER_SECONDS: z.coerce.number().min(0).max(86_400).default(10),
  /**
   * V8 heap limit of each training thread, MiB (worker resourceLimits.maxOldGenerationSizeMb): a run
   * past it ends its thread alone, FAILED with RUNTIME_FAULT. TF.js WASM memory is not V8 heap and is
   * bounded by the TRAINING_MAX_* checks instead. (Default: 2048)
   */
  TRAINING_THREAD_HEAP_MB: z.coerce.number().int().min(256).default(2048), // below ~256 a thread may not even load TF.js, and Piscina stops starting threads that fail at bootstrap
  /**
   * Worker threads per process for CSV parsing, profiling and correlations, and for building model
   * export archives, so a large upload or export does not stall other requests. At least 3, so one tenant's tasks (DATA_TASKS_PER_TENANT, 2) never
   * take every thread: a tenant may hold at most DATA_THREADS - 1 of them at once. (Default: CPU
   * cores - 1, at least 3, at most 4)
   */
  DATA_THREADS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(Math.min(4, Math.max(3, availableParallelism() - 1))),
  /**
   * CSV tasks (uploads, correlations) one tenant may have on this process' CSV threads at once,
   * running or waiting; past it QUOTA_EXCEEDED with retryAfterSeconds, so one tenant cannot fill the
   * shared queue (16 × DATA_THREADS) and make every other tenant's upload wait or fail. Never more
   * than DATA_THREADS - 1 (at least 1), so one tenant's long parse leaves a thread to the others.
   * (Default: 2)
   */
  DATA_TASKS_PER_TENANT: z.coerce.number().int().min(1).max(1000).default(2),
  /**
   * Where training runs: `thread` (a worker thread: the event loop stays free), `main` (the
   * process' main thread), or `auto` (a thread, except with the native tfjs-node backend, which
   * cannot load in a second thread). (Default: auto)
   */
  TRAINING_THREAD: z.enum(['auto', 'thread', 'main']).default('auto'),
  /**
   * Where predictions are scored: `thread` (isolated worker threads, each with its own TF.js/WASM
   * runtime and its own loaded models: a model that crashes its runtime fails only its own calls
   * and is quarantined) or `inline` (the API process' main thread: a little faster, but such a
   * crash fails /healthz and the whole process must restart). (Default: thread)
   */
  SERVING_ISOLATION: z.enum(['thread', 'inline']).default('thread'),
  /**
   * Let V8 collect the young generation (its frequent "scavenges") on helper threads in the API
   * process, as it does by default. `false` collects it on the thread that allocated: measured with
   * bench/v2.ts on 2 shared cores (load average ~12), the helpers cost the API 20–40 µs of CPU per
   * single-row V2 call, and V2 answered ~1.1–1.9× the calls per second without them
   * (src/lib/gc-threads.ts). On many idle cores the helpers shorten GC pauses instead, so they stay on past 2 cores.
   * (Default: true when the machine has more than 2 cores, else false)
   */
  GC_PARALLEL_SCAVENGE: bool.default(availableParallelism() > 2),
  /** Scoring threads per process (SERVING_ISOLATION=thread); a version always scores on the same one. (Default: 1) */
  SERVING_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  /** V8 heap limit of each scoring thread, MiB: a model past it ends its thread alone. (Default: 1024) */
  SERVING_THREAD_HEAP_MB: z.coerce.number().int().min(256).max(65_536).default(1024), // below ~256 a thread may not load TF.js
  /** How long a model version that crashed its scoring thread (inline: aborted the runtime) is refused (MODEL_NOT_READY, RUNTIME_FAULT), seconds. (Default: 300) */
  SERVING_QUARANTINE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /**
   * Scoring calls one tenant may have waiting or running on one scoring thread's lane (SERVING_ISOLATION=thread;
   * src/ml/serving/fair-queue.ts): past it a call is refused with QUOTA_EXCEEDED (`retryAfterSeconds`), so one
   * tenant's backlog stays bounded; calls of different tenants are taken round-robin. (Default: 256)
   */
  SCORING_MAX_QUEUED_PER_TENANT: z.coerce.number().int().min(1).max(100_000).default(256),
  /**
   * Per-tenant back-off after ONNX host faults (src/ml/serving/tenant-fault-backoff.ts; SERVING_ISOLATION=thread): a
   * tenant whose ONNX models crashed, hung or overran the shared ONNX host this many times within
   * SERVING_TENANT_FAULT_WINDOW_SECONDS has its ONNX scoring calls refused (QUOTA_EXCEEDED, `reason: 'HOST_FAULT_BACKOFF'`)
   * for SERVING_TENANT_BACKOFF_SECONDS, doubled on each repeat up to a day. (Default: 3)
   */
  SERVING_TENANT_MAX_FAULTS: z.coerce.number().int().min(1).max(1_000_000).default(3),
  /** The sliding window SERVING_TENANT_MAX_FAULTS counts a tenant's ONNX host faults in, seconds. (Default: 600) */
  SERVING_TENANT_FAULT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** A tenant's first back-off after SERVING_TENANT_MAX_FAULTS host faults, seconds; doubled on each repeat, at most a day. (Default: 600) */
  SERVING_TENANT_BACKOFF_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /**
   * Tests only, refused when NODE_ENV=production: `<versionId>[:abort|oom|exit]` (several: comma-separated) makes the scoring
   * runtime fail for real whenever that version scores (src/ml/serving/fault-injection.ts).
   */
  SCORING_FAULT_INJECTION: z
    .string()
    .max(200)
    .regex(/^[^:\s,]+(:(abort|oom|exit))?(,[^:\s,]+(:(abort|oom|exit))?)*$/, 'expected <versionId>[:<abort|oom|exit>], several separated by commas')
    .optional(),
  /** Memory budget of each API process' model cache, bytes (LRU beyond it). (Default: 512 MiB) */
  MODEL_CACHE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(512 * 1024 * 1024),
  /**
   * Fraction of MODEL_CACHE_BYTES one tenant's loaded versions may hold: a load past it evicts that
   * tenant's own least recently used versions first, so one tenant cycling through many versions
   * cannot evict everyone else's. 1 = no per-tenant bound. (Default: 0.5)
   */
  MODEL_CACHE_TENANT_SHARE: z.coerce.number().gt(0).max(1).default(0.5),
  /**
   * Bytes of built model export archives each API process keeps (least recently used beyond it;
   * one tenant's at most half), so a repeated export of a version costs no rebuild; 0 keeps none.
   * (Default: 64 MiB)
   */
  EXPORT_CACHE_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(64 * 1024 * 1024),
  /** Load alias targets and latest versions into the model cache at start. (Default: false) */
  MODEL_CACHE_WARM: bool.default(false),
  /** Micro-batching: rows that flush a batch at once. (Default: 64) */
  BATCH_MAX_ROWS: z.coerce.number().int().min(1).default(64),
  /** Micro-batching: longest a request waits for company, ms; 0 = what arrives in the same event-loop turn. (Default: 0) */
  BATCH_MAX_WAIT_MS: z.coerce.number().min(0).max(1000).default(0),
  ...httpEnv,
  ...tracingEnv,
});

/** The GraphQL explorer served at GET /graphql (config GRAPHQL_EXPLORER). */
export type GraphqlExplorer = 'graphiql' | 'sandbox' | 'off';

/** Production closes what helps explore the API unless asked: the explorer, introspection, suggestions, the console's admin sign-in. */
const withDefaults = schema.transform(({ GRAPHQL_SANDBOX, ...d }) => {
  const open = d.NODE_ENV !== 'production';
  const legacy: GraphqlExplorer | undefined = GRAPHQL_SANDBOX === undefined ? undefined : GRAPHQL_SANDBOX ? 'sandbox' : 'off';
  const explorer: GraphqlExplorer = d.GRAPHQL_EXPLORER ?? legacy ?? (open ? 'graphiql' : 'off');
  return {
    ...d,
    GRAPHQL_EXPLORER: explorer,
    GRAPHQL_INTROSPECTION: d.GRAPHQL_INTROSPECTION ?? explorer !== 'off',
    GRAPHQL_FIELD_SUGGESTIONS: d.GRAPHQL_FIELD_SUGGESTIONS ?? open,
    CONSOLE_ADMIN_SIGN_IN: d.CONSOLE_ADMIN_SIGN_IN ?? open,
    TENANT_MAX_DB_CONNECTIONS: d.TENANT_MAX_DB_CONNECTIONS ?? defaultTenantShare(d.DATABASE_POOL_SIZE),
  };
});

export type Config = z.infer<typeof withDefaults>;

/**
 * Parses `env` into a typed {@link Config}.
 * @throws Error listing every invalid variable with the value it had.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = withDefaults.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      // Secrets and keys are named, never printed: a near-miss value is usually the real one.
      const shown = /SECRET|KEY|TOKEN|PASSWORD/i.test(key) ? '(hidden)' : JSON.stringify(env[key]);
      return `  ${key}=${shown}: ${issue.message}`;
    });
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const d = parsed.data;
  if (Boolean(d.JWT_PRIVATE_KEY) !== Boolean(d.JWT_PUBLIC_KEY)) {
    throw new Error('Invalid configuration: set both JWT_PRIVATE_KEY and JWT_PUBLIC_KEY (RS256), or neither (HS256 with JWT_SECRET)');
  }
  if (d.JWT_TTL_SECONDS > d.JWT_MAX_LIFETIME_SECONDS) {
    throw new Error(`Invalid configuration: JWT_TTL_SECONDS=${d.JWT_TTL_SECONDS} is above JWT_MAX_LIFETIME_SECONDS=${d.JWT_MAX_LIFETIME_SECONDS}: issued tokens would be refused`);
  }
  if (d.TENANT_MAX_DB_CONNECTIONS > d.DATABASE_POOL_SIZE) {
    throw new Error(
      `Invalid configuration: TENANT_MAX_DB_CONNECTIONS=${d.TENANT_MAX_DB_CONNECTIONS} is above DATABASE_POOL_SIZE=${d.DATABASE_POOL_SIZE}: a tenant cannot hold more connections than the pool has`,
    );
  }
  if (d.NODE_ENV === 'production' && (!d.ADMIN_SECRET || !(d.JWT_SECRET || d.JWT_PUBLIC_KEY))) {
    throw new Error('Invalid configuration: ADMIN_SECRET and JWT_SECRET (or the JWT key pair) must be set when NODE_ENV=production');
  }
  if (d.ONNX_HOST_FAULT_INJECTION !== undefined && d.NODE_ENV === 'production') {
    throw new Error('Invalid configuration: ONNX_HOST_FAULT_INJECTION makes ONNX hosts crash on purpose and is refused when NODE_ENV=production');
  }
  if (d.ONNX_RUNTIME_NODE_MODULE !== undefined && d.NODE_ENV === 'production') {
    throw new Error('Invalid configuration: ONNX_RUNTIME_NODE_MODULE is a test hook (it replaces onnxruntime-node) and is refused when NODE_ENV=production');
  }
  if (d.SCORING_FAULT_INJECTION !== undefined && d.NODE_ENV === 'production') {
    throw new Error('Invalid configuration: SCORING_FAULT_INJECTION makes models crash on purpose and is refused when NODE_ENV=production');
  }
  return parsed.data;
}
