/**
 * Real API and worker processes on loopback for scale-out tests: the compiled server
 * (dist/, built once per test file) started with `node`, sharing one PostgreSQL database.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/lib/net';
import { ADMIN_SECRET, JWT_SECRET } from './secrets';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Compiles src/ to dist/ (tsc), so child processes run the current code. One Jest worker at a time
 * (a lock directory beside dist/): two compilers writing one file leave it half-written.
 */
export function buildDist(): void {
  const lock = path.join(ROOT, '.dist-build.lock');
  const waitUntil = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock older than any build is left by a killed run.
      if (Date.now() > waitUntil || Date.now() - fs.statSync(lock).mtimeMs > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript-native', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface Proc {
  child: ChildProcess;
  /** Everything the process printed, for assertions and debugging. */
  output: string[];
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function start(script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', script)], {
    cwd: ROOT,
    env: { ...process.env, ADMIN_SECRET, JWT_SECRET, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Resolves when the process prints a log line whose msg matches `msg`. */
export function waitForLog(p: Proc, msg: RegExp, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${msg}; output:\n${p.output.join('')}`)), timeoutMs);
    const check = () => {
      if (
        p.output
          .join('')
          .split('\n')
          .some((l) => msg.test(l))
      ) {
        clearTimeout(timer);
        p.child.stdout!.off('data', check);
        resolve();
      }
    };
    p.child.stdout!.on('data', check);
    check();
  });
}

export async function startApi(databaseUrl: string, env: Record<string, string> = {}): Promise<Proc & { url: string; wsUrl: string }> {
  const port = await freePort();
  const p = start('main.js', { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', WORKER_ENABLED: 'false', ...env });
  await waitForLog(p, /MaaS API ready/);
  return { ...p, url: `http://127.0.0.1:${port}/graphql`, wsUrl: `ws://127.0.0.1:${port}/graphql` };
}

export async function startWorker(databaseUrl: string, env: Record<string, string> = {}): Promise<Proc> {
  const p = start('worker.js', { DATABASE_URL: databaseUrl, TRAINING_SLOTS: '1', ...env }); // as many slots on every machine
  await waitForLog(p, /worker ready/);
  return p;
}
