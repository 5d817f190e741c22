/**
 * The `maas` CLI as a child process from its TypeScript sources (no build): `node -r
 * test/support/ts-register.cjs src/client/cli/main.ts …`, with its own config directory and no
 * MAAS_URL / MAAS_API_KEY unless given.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const REGISTER = path.join(__dirname, 'ts-register.cjs');
const MAIN = path.join(ROOT, 'src', 'client', 'cli', 'main.ts');

/** What one CLI invocation printed and how it ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running CLI process: its output so far and its end. */
export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<CliResult>;
  /** Resolves once stdout has a line matching `re` (rejects if the process ends first). */
  waitForLine(re: RegExp): Promise<string>;
}

/** Starts `maas <args>` with `env` on top of a clean environment (XDG_CONFIG_HOME must be set by the caller). */
export function startCli(args: string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, ['-r', REGISTER, MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, MAAS_URL: '', MAAS_API_KEY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners: (() => void)[] = [];
  child.stdout!.on('data', (d) => {
    out += String(d);
    listeners.forEach((l) => l());
  });
  child.stderr!.on('data', (d) => (err += String(d)));
  const done = new Promise<CliResult>((resolve) => child.once('close', (code) => resolve({ code, stdout: out, stderr: err })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    done,
    waitForLine: (re) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const line = out.split('\n').find((l) => re.test(l));
          if (line !== undefined) resolve(line);
        };
        listeners.push(check);
        check();
        void done.then(() => {
          check();
          reject(new Error(`maas ${args.join(' ')} ended without a line matching ${re}:\n${out}\n${err}`));
        });
      }),
  };
}

/** Runs `maas <args>` to its end. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return startCli(args, env).done;
}

/**
 * Runs `maas <args>` on a pseudo-terminal (util-linux `script`), as a person at a terminal would:
 * stdout and stderr are one TTY stream, so the live progress bar is drawn. Arguments must not need
 * shell quoting.
 */
export function runCliInTerminal(args: string[], env: Record<string, string>): Promise<CliResult> {
  const command = [process.execPath, '-r', REGISTER, MAIN, ...args].join(' ');
  return new Promise((resolve) => {
    execFile('script', ['-qefc', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, MAAS_URL: '', MAAS_API_KEY: '', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
