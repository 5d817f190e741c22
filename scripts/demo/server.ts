/**
 * The server a demo talks to: MAAS_URL (+ MAAS_ADMIN_SECRET) when given; otherwise `node
 * dist/src/main.js` on a free port with a throwaway embedded PostgreSQL (or DATABASE_URL when set),
 * stopped after. Plus the first step every scenario shares: a new tenant and its API key.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DemoCreateTenantDocument, DemoServerInfoDocument } from '../../src/client/generated/graphql';
import { gqlOk, type Caller } from '../../src/client/graphql-client';
import { freePort } from '../../src/lib/net';
import { projectRoot } from '../../src/lib/paths';

const ROOT = projectRoot();

/** A running server: its GraphQL URL over HTTP and websocket, the admin secret, and how to stop it. */
export interface DemoServer {
  url: string;
  wsUrl: string;
  adminSecret: string;
  stop(): Promise<void>;
}

/** The server given by MAAS_URL, or a local one started for the demo. */
export async function demoServer(): Promise<DemoServer> {
  const given = process.env.MAAS_URL?.replace(/\/+$/, '');
  const external = given && !given.endsWith('/graphql') ? `${given}/graphql` : given;
  return external ? { url: external, wsUrl: external.replace(/^http/, 'ws'), adminSecret: process.env.MAAS_ADMIN_SECRET ?? '', stop: async () => undefined } : startLocalServer();
}

/** Creates a tenant named `<prefix>-<random>` and returns a caller holding its API key. */
export async function demoTenant(server: DemoServer, prefix = 'demo'): Promise<Caller> {
  const info = await gqlOk({ url: server.url }, DemoServerInfoDocument);
  console.log(`Server ${server.url}: version ${info.serverInfo.version}, TF.js backend '${info.serverInfo.tfBackend}'`);
  const tenantName = `${prefix}-${crypto.randomBytes(3).toString('hex')}`;
  const created = await gqlOk({ url: server.url, headers: { 'x-admin-secret': server.adminSecret } }, DemoCreateTenantDocument, { name: tenantName });
  console.log(`Tenant '${tenantName}' created; API key ${created.createTenant.apiKey.slice(0, 11)}… (shown once)`);
  return { url: server.url, token: created.createTenant.apiKey };
}

/** Formats a number for the demo's output ('-' when absent). */
export const fmt = (x: number | null | undefined, digits = 4) => (x == null ? '   -  ' : x.toFixed(digits));

async function startLocalServer(): Promise<DemoServer> {
  const port = await freePort();
  const adminSecret = crypto.randomBytes(24).toString('base64url');
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-demo-'));
  fs.chmodSync(pgDir, 0o777); // the embedded server runs as OS user `postgres` when we are root
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_SECRET: adminSecret,
    EMBEDDED_PG_DIR: path.join(pgDir, 'data'),
    EMBEDDED_PG_PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  };
  console.log(`Starting a server on port ${port} (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL in ' + pgDir}) ...`);
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'main.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error('the server did not become ready within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    wsUrl: url.replace('http', 'ws'),
    adminSecret,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(pgDir, { recursive: true, force: true });
    },
  };
}
