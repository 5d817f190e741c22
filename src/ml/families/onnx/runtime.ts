/**
 * The ONNX runtime, chosen by ONNX_RUNTIME (src/config.ts): `node` is onnxruntime-node (native CPU
 * binaries inside the npm package); `web` is onnxruntime-web's WASM backend run in Node (its .wasm
 * files ship in the npm package and are read from node_modules: no network, no CDN; one thread);
 * `auto` (the default) is onnxruntime-node, and onnxruntime-web only where the native package
 * cannot load (its `require` throws, e.g. a platform without its binaries).
 *
 * The server process decides once at start-up ({@link resolveOnnxRuntime}, logged by
 * src/infrastructure.ts) and hands the decided runtime to its ONNX host processes (./host/, env
 * ONNX_RUNTIME), so every host runs the same one. The module is imported on first use elsewhere,
 * so a process that never serves an ONNX model does not load it, and a platform where no runtime
 * loads fails only ONNX work (NOT_SUPPORTED), not the whole service.
 */
import type * as Ort from 'onnxruntime-node';
import { AppError } from '../../../lib/errors';

/** Both packages export onnxruntime-common's API (InferenceSession, Tensor, env); typed as the node one. */
export type OrtModule = typeof Ort;
export type OrtSession = Ort.InferenceSession;
export type OrtTensor = Ort.Tensor;

/** ONNX_RUNTIME: which package runs ONNX models. */
export type OnnxRuntimeChoice = 'auto' | 'node' | 'web';
/** The package that runs ONNX models here: onnxruntime-node or onnxruntime-web (WASM). */
export type OnnxRuntimeName = 'node' | 'web';

/** What {@link resolveOnnxRuntime} decided, for the start-up log and `serverInfo`. */
export interface OnnxRuntimeInfo {
  /** The setting (ONNX_RUNTIME). */
  requested: OnnxRuntimeChoice;
  /** The runtime that loaded; undefined when none could. */
  runtime?: OnnxRuntimeName;
  /** The package's version (its package.json), when one loaded. */
  version?: string;
  /** Why onnxruntime-node was not used under `auto` (its load error, ≤ 300 characters). */
  fallbackReason?: string;
  /** Why no runtime loaded (≤ 300 characters); ONNX work answers NOT_SUPPORTED. */
  error?: string;
}

/** How this process loads its runtime (set once, before the first use). */
export interface OnnxRuntimeOptions {
  choice: OnnxRuntimeChoice;
  /**
   * Test hook (ONNX_RUNTIME_NODE_MODULE, refused in production): the module name required in place
   * of `onnxruntime-node`, e.g. a missing one, to see `auto` fall back on a platform where the native
   * package does load. (Default: onnxruntime-node)
   */
  nodeModule?: string;
}

const NODE_PACKAGE = 'onnxruntime-node';
const WEB_PACKAGE = 'onnxruntime-web';

let options: OnnxRuntimeOptions = { choice: 'auto' };
let loaded: { module: OrtModule; info: OnnxRuntimeInfo } | undefined;
let failed: OnnxRuntimeInfo | undefined;

/**
 * Sets which runtime this process loads. A call after the runtime loaded (or failed to) with other
 * options starts over (tests; the server sets it once).
 */
export function configureOnnxRuntime(next: OnnxRuntimeOptions): void {
  if (next.choice === options.choice && next.nodeModule === options.nodeModule) return;
  options = { ...next };
  loaded = undefined;
  failed = undefined;
}

/** This process' runtime options (passed on to the ONNX host processes). */
export function onnxRuntimeOptions(): OnnxRuntimeOptions {
  return options;
}

const messageOf = (err: unknown) => String((err as Error)?.message ?? err).slice(0, 300);

/** The loaded package's version, as it registers itself in onnxruntime-common's `env.versions`. */
const versionOf = (module: OrtModule, name: OnnxRuntimeName): string | undefined => (module.env.versions as Record<string, string | undefined>)[name];

/** onnxruntime-web's WASM backend in Node: one thread (no worker threads), not proxied, files from its own dist/. */
function loadWeb(): OrtModule {
  const web = require(WEB_PACKAGE) as OrtModule & { env: { wasm: { numThreads?: number; proxy?: boolean } } };
  web.env.wasm.numThreads = 1;
  web.env.wasm.proxy = false;
  return web;
}

/**
 * Loads the runtime ONNX_RUNTIME names (once per process; a failure is remembered too) and says
 * which one it is. Never throws.
 */
export function resolveOnnxRuntime(): OnnxRuntimeInfo {
  if (loaded) return loaded.info;
  if (failed) return failed;
  const { choice } = options;
  const nodeModule = options.nodeModule ?? NODE_PACKAGE;
  let fallbackReason: string | undefined;
  if (choice !== 'web') {
    try {
      const module = require(nodeModule) as OrtModule;
      loaded = { module, info: { requested: choice, runtime: 'node', version: versionOf(module, 'node') } };
      return loaded.info;
    } catch (err) {
      if (choice === 'node') return (failed = { requested: choice, error: `${NODE_PACKAGE} cannot load: ${messageOf(err)}` });
      fallbackReason = `${NODE_PACKAGE} cannot load: ${messageOf(err)}`;
    }
  }
  try {
    const module = loadWeb();
    loaded = { module, info: { requested: choice, runtime: 'web', version: versionOf(module, 'web'), ...(fallbackReason ? { fallbackReason } : {}) } };
    return loaded.info;
  } catch (err) {
    const web = `${WEB_PACKAGE} cannot load: ${messageOf(err)}`;
    return (failed = { requested: choice, error: fallbackReason ? `${fallbackReason}; ${web}` : web });
  }
}

/**
 * @returns the runtime module (loaded once per process, as ONNX_RUNTIME says).
 * @throws AppError NOT_SUPPORTED when no runtime can load here.
 */
export function ort(): OrtModule {
  const info = resolveOnnxRuntime();
  const module = loadedModule();
  if (!module) throw new AppError('NOT_SUPPORTED', `The ONNX runtime cannot load on this server: ${info.error ?? 'unknown reason'}`);
  return module;
}

const loadedModule = (): OrtModule | undefined => loaded?.module;

/**
 * Opens a session on a model's bytes, CPU only, warnings off (old PyTorch exports print one per
 * initializer listed among the graph inputs), one thread per session (intra- and inter-op; the web
 * runtime has one thread anyway), so one call cannot take every core of the machine from the other
 * tenants. `session.x64quantprecision`: on x64 CPUs without VNNI (AVX2, AVX-512), onnxruntime's
 * u8·s8 int8 products saturate their 16-bit intermediate sums, and quantised models answer
 * differently from one machine to the next (microsoft/onnxruntime#14642: on this project's AVX2-only
 * CI machines shufflenet-v2-12-int8 called the data README's golden retriever a Bedlington terrier);
 * the option widens them to keep the model's own answers, at some speed on those CPUs only.
 * @throws AppError NOT_SUPPORTED when no runtime loads; whatever onnxruntime throws for unreadable
 *   bytes (see ./inspect.ts for the coded errors).
 */
export async function openSession(bytes: Uint8Array): Promise<OrtSession> {
  const o = ort();
  const provider = resolveOnnxRuntime().runtime === 'web' ? 'wasm' : 'cpu';
  return o.InferenceSession.create(bytes, {
    logSeverityLevel: 3,
    executionProviders: [provider],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    extra: { session: { x64quantprecision: '1' } },
  });
}
