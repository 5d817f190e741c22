/**
 * One ONNX host process, the parent's side: forks ./host-main (the .ts entry through
 * src/lib/threads/ts-process.cjs in tests and development, the compiled .js in dist/), sends
 * requests and matches answers. The host answers one request at a time in the order sent, so when
 * it ends without answering, the oldest unanswered request is the one that crashed it: it gets
 * {@link OnnxHostCrash}; the others get {@link OnnxHostLost} (they may be sent again to a fresh host).
 *
 * Memory is bounded twice: the host's V8 heap by `--max-old-space-size` (heapMb), and its resident
 * memory — onnxruntime allocates outside the V8 heap — by a watchdog here that reads
 * /proc/<pid>/statm while requests are pending and kills the host past maxRssMb (Linux only: where
 * /proc is missing only the heap limit applies).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../../lib/errors';
import type { OnnxRuntimeOptions } from '../runtime';
import { fromWire, type HostOp, type HostRequest, type HostResponse, type HostResults } from './protocol';

/** How hosts are started; set once per thread by ./hosted-scorer.ts `configureOnnxHosts`. */
export interface OnnxHostSettings {
  /** V8 heap limit of a host, MiB. (Default: 512) */
  heapMb: number;
  /** Resident memory past which a host is killed, MiB (ONNX_HOST_MAX_RSS_MB). (Default: 2048) */
  maxRssMb: number;
  /** Longest an upload's validation may take, ms (ONNX_INSPECT_TIMEOUT_MS). (Default: 30,000) */
  inspectTimeoutMs: number;
  /** Longest a session load or an inference may take, ms (ONNX_INFER_TIMEOUT_MS): past it the host is killed. (Default: 10,000) */
  inferTimeoutMs: number;
  /** Test only: ONNX_HOST_FAULT_INJECTION (./host-faults.ts). */
  faultInjection?: string;
  /**
   * The runtime the host loads (../runtime.ts), passed as env ONNX_RUNTIME (and the test hook
   * ONNX_RUNTIME_NODE_MODULE): the server's decided one, so every host runs the same. (Default: auto)
   */
  runtime?: OnnxRuntimeOptions;
}

export const DEFAULT_HOST_SETTINGS: OnnxHostSettings = { heapMb: 512, maxRssMb: 2048, inspectTimeoutMs: 30_000, inferTimeoutMs: 10_000 };

/** How a host ended under a request: it crashed (signal or exit), was killed for memory, or for time. */
export type HostEnd = 'CRASH' | 'MEMORY' | 'TIMEOUT';

/**
 * The request that was running when its host ended. MODEL_NOT_READY with `fault: 'RUNTIME_FAULT'`
 * and `hostEnd` — the shape of a scoring thread's runtime fault; the scoring side adds the version
 * id and quarantines it (src/ml/serving/scoring-threads.ts, src/modules/serving/scoring-guard.ts).
 */
export class OnnxHostCrash extends AppError {
  constructor(
    readonly reason: string,
    readonly hostEnd: HostEnd,
  ) {
    super('MODEL_NOT_READY', `The ONNX runtime process ended while running this model: ${reason}`, { fault: 'RUNTIME_FAULT', reason, hostEnd });
    this.name = 'OnnxHostCrash';
  }
}

/** A request that was waiting behind the one that crashed its host: not its fault, it may be sent again. */
export class OnnxHostLost extends Error {
  constructor(reason: string) {
    super(`the ONNX runtime process ended under another model: ${reason}`);
    this.name = 'OnnxHostLost';
  }
}

/** Whether `err` is the fault of an ONNX host that ended under this very call. */
export const isOnnxHostCrash = (err: unknown): err is AppError => err instanceof AppError && err.details?.fault === 'RUNTIME_FAULT' && typeof err.details.hostEnd === 'string';

interface Pending {
  op: HostOp;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

const PAGE_BYTES = 4096; // /proc/<pid>/statm counts pages; 4 KiB on the x86-64 and arm64 Linux we run
const WATCH_MS = 100; // how often the watchdog reads the host's resident memory while it works

export class OnnxHost {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private watchdog?: NodeJS.Timeout;
  /** Why the host was killed by this side (memory, time), when it was. */
  private killedFor?: { reason: string; end: HostEnd };
  /** Set once the process has ended: why. */
  ended?: string;
  private readonly exited: Promise<void>;
  /** Settles once the host has started and loaded onnxruntime (never, when it fails first). */
  private readonly ready: Promise<void>;

  /** Settles once the process is gone. */
  get closed(): Promise<void> {
    return this.exited;
  }

  constructor(private readonly settings: OnnxHostSettings) {
    const entry = path.join(__dirname, `host-main${path.extname(__filename)}`);
    const typescript = entry.endsWith('.ts');
    const env = { ...process.env };
    if (settings.faultInjection) env.ONNX_HOST_FAULT_INJECTION = settings.faultInjection;
    else delete env.ONNX_HOST_FAULT_INJECTION;
    env.ONNX_RUNTIME = settings.runtime?.choice ?? 'auto';
    if (settings.runtime?.nodeModule) env.ONNX_RUNTIME_NODE_MODULE = settings.runtime.nodeModule;
    else delete env.ONNX_RUNTIME_NODE_MODULE;
    this.child = fork(typescript ? path.join(__dirname, '../../../../lib/threads/ts-process.cjs') : entry, typescript ? [entry] : [], {
      serialization: 'advanced',
      execArgv: [`--max-old-space-size=${settings.heapMb}`],
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve) => {
      this.child.on('message', (m: HostResponse | { ready: true }) => {
        if ('ready' in m) resolve();
        else this.answered(m);
      });
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.end(signal ? `the process was killed by ${signal}` : `the process exited with code ${code}`);
        resolve();
      });
      this.child.once('error', (err) => {
        this.end(`the process failed: ${err.message}`);
        if (this.child.exitCode !== null || this.child.pid === undefined) resolve();
      });
    });
    this.idle();
  }

  /** The host's process id (tests check no host outlives the server). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Sends one request.
   * @param timeoutMs kills the host when it has not answered this long after it started (its start-up not counted).
   * @throws AppError as the host threw it (e.g. BAD_USER_INPUT, INVALID_MODEL); OnnxHostCrash when
   *   the host ended under this request; OnnxHostLost when it ended under an earlier one; Error when
   *   the host had already ended or the op failed otherwise.
   */
  request<R extends DistributiveOmit<HostRequest, 'id'>>(req: R, timeoutMs?: number): Promise<HostResults[R['op']]> {
    if (this.ended) return Promise.reject(new OnnxHostLost(this.ended));
    const id = ++this.nextId;
    return new Promise<HostResults[R['op']]>((resolve, reject) => {
      this.pending.set(id, { op: req.op, resolve: resolve as (v: unknown) => void, reject });
      this.busy();
      this.child.send({ ...req, id } as HostRequest, (err) => {
        if (err && this.pending.delete(id)) reject(new OnnxHostLost(err.message));
      });
      if (timeoutMs !== undefined)
        void this.ready.then(() => {
          const timer = setTimeout(() => {
            if (this.pending.has(id)) this.kill(`it took longer than ${timeoutMs} ms`, 'TIMEOUT');
          }, timeoutMs);
          timer.unref();
        });
    });
  }

  /** Ends the host (its pending requests fail) and waits until its process is gone. */
  async close(): Promise<void> {
    if (!this.ended && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private answered(m: HostResponse): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.idle();
    if (m.ok) p.resolve(m.value);
    else p.reject(fromWire(p.op, m.error));
  }

  private kill(reason: string, end: HostEnd): void {
    this.killedFor ??= { reason, end };
    this.child.kill('SIGKILL');
  }

  private end(how: string): void {
    if (this.ended) return;
    const reason = this.killedFor?.reason ?? how;
    this.ended = reason;
    clearInterval(this.watchdog);
    let first = true;
    for (const p of this.pending.values()) {
      p.reject(first ? new OnnxHostCrash(reason, this.killedFor?.end ?? 'CRASH') : new OnnxHostLost(reason));
      first = false;
    }
    this.pending.clear();
  }

  /** While requests are pending the host keeps this process alive and the watchdog runs. */
  private busy(): void {
    this.child.ref();
    (this.child.channel as { ref?: () => void } | undefined)?.ref?.();
    if (this.watchdog) return;
    this.watchdog = setInterval(() => this.checkMemory(), WATCH_MS);
    this.watchdog.unref();
  }

  /** An idle host does not keep this process (a test, a thread) alive; it exits when the channel closes. */
  private idle(): void {
    this.child.unref();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
    clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private checkMemory(): void {
    const pid = this.child.pid;
    if (pid === undefined || this.ended) return;
    let rssMb: number;
    try {
      rssMb = (Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES) / (1 << 20);
    } catch {
      return; // no /proc here (or the process just ended): only the heap limit applies
    }
    if (rssMb > this.settings.maxRssMb) this.kill(`it used ${Math.round(rssMb)} MiB of memory, over ONNX_HOST_MAX_RSS_MB=${this.settings.maxRssMb}`, 'MEMORY');
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
