/**
 * BENCH_ONLY=ws-storm: another tenant's latency while one tenant bursts websocket subscribes (issue
 * 10, review F1). Tenant A opens S sockets, then sends 100 `modelStageChanged` subscribes on each
 * at once (the review's load); tenant B meanwhile calls `GET /healthz` and a `{ viewer }` query back
 * to back until every subscribe of A has had its first message. Each row runs on two API processes
 * of this build, taking turns: the default message rate (WS_TENANT_MESSAGES_PER_SECOND) and the rate
 * lifted, so the ratio of B's figures shows what the rate costs and saves in one run.
 */
import os from 'node:os';
import WebSocket from 'ws';
import { gqlOk } from '../src/client/graphql-client';

/** One API process under test. */
export interface StormServer {
  label: string;
  url: string;
}

const STREAM = 'subscription { modelStageChanged(model: "diab") { modelName } }';
const PER_SOCKET = 100;

interface Figures {
  /** ms until every subscribe of A had its first message. */
  stormMs: number;
  /** A's first messages by kind: `data`, or an error code. */
  outcomes: Record<string, number>;
  health: number[];
  query: number[];
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/**
 * A raw graphql-ws socket of `token`, acknowledged; `first` gets each operation's first message, and
 * when the socket closes, one `closed <code>` for each of its PER_SOCKET operations still unanswered.
 */
async function open(wsUrl: string, token: string, first: (id: string, kind: string) => void): Promise<WebSocket> {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
  const seen = new Set<string>();
  let acked!: () => void;
  const ack = new Promise<void>((r) => (acked = r));
  socket.on('message', (data) => {
    const m = JSON.parse(String(data)) as { id?: string; type: string; payload?: any };
    if (m.type === 'connection_ack') return acked();
    if (!m.id || seen.has(m.id)) return;
    seen.add(m.id);
    first(m.id, m.type === 'next' ? (m.payload?.errors?.[0]?.extensions?.code ?? 'data') : (m.payload?.[0]?.extensions?.code ?? m.type));
  });
  socket.on('close', (code) => {
    for (let k = seen.size; k < PER_SOCKET; k++) first(`closed-${k}`, `socket closed ${code}`);
  });
  await new Promise((r) => socket.once('open', r));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } }));
  await ack;
  return socket;
}

/** One storm of `sockets` × 100 subscribes by A against `url`, with B's loops beside it. */
async function storm(url: string, aToken: string, bToken: string, sockets: number): Promise<Figures> {
  const wsUrl = url.replace('http', 'ws');
  const total = sockets * PER_SOCKET;
  const outcomes: Record<string, number> = {};
  let answered = 0;
  let done!: () => void;
  const allAnswered = new Promise<void>((r) => (done = r));
  let counting = true;
  const first = (_id: string, kind: string) => {
    if (!counting) return;
    outcomes[kind] = (outcomes[kind] ?? 0) + 1;
    if (++answered === total) done();
  };
  const socks = await Promise.all(Array.from({ length: sockets }, () => open(wsUrl, aToken, first)));
  const health: number[] = [];
  const query: number[] = [];
  let stop = false;
  const base = url.replace(/\/graphql$/, '');
  const loop = async (into: number[], call: () => Promise<Response>) => {
    while (!stop) {
      const t = performance.now();
      const r = await call();
      await r.arrayBuffer();
      into.push(performance.now() - t);
    }
  };
  const body = JSON.stringify({ query: '{ viewer { tenantId } }' });
  const loops = [
    loop(health, () => fetch(`${base}/healthz`)),
    loop(query, () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bToken}` }, body })),
  ];
  const started = performance.now();
  socks.forEach((s, i) => {
    for (let k = 0; k < PER_SOCKET; k++) s.send(JSON.stringify({ id: `s${i}-${k}`, type: 'subscribe', payload: { query: STREAM } }));
  });
  const timeout = setTimeout(done, 120_000);
  await allAnswered;
  clearTimeout(timeout);
  const stormMs = performance.now() - started;
  stop = true;
  counting = false;
  await Promise.all(loops);
  for (const s of socks) s.close();
  return { stormMs, outcomes, health, query };
}

/**
 * The section: for S in 10 and 50 sockets, a storm on each server in turn (fresh tenants each time).
 * @param adminSecret the API's ADMIN_SECRET (creates the tenants).
 */
export async function runWsStormBench(servers: StormServer[], adminSecret: string, say: (s?: string) => void): Promise<void> {
  say(`## One tenant's websocket burst beside another tenant (BENCH_ONLY=ws-storm, load average ${os.loadavg()[0]!.toFixed(1)})`);
  say();
  say(
    `Tenant A opens S sockets and sends ${PER_SOCKET} \`${STREAM}\` on each at once; tenant B calls \`GET /healthz\` and \`{ viewer { tenantId } }\` back to back until every subscribe of A has its first message (TENANT_MAX_IN_FLIGHT 64, the other limits at their defaults but the anonymous requests' cap, lifted as in every bench process).`,
  );
  say();
  say("| A's sockets × subscribes | server | A's burst answered in | A's first messages | B `/healthz` n, p50 / p99 / max ms | B query n, p50 / p99 / max ms |");
  say('|---|---|---|---|---|---|');
  const fmt = (xs: number[]) => `${xs.length}, ${pct(xs, 50).toFixed(1)} / ${pct(xs, 99).toFixed(0)} / ${Math.max(...xs).toFixed(0)}`;
  for (const sockets of [10, 50]) {
    for (const server of servers) {
      const admin = { url: server.url, headers: { 'x-admin-secret': adminSecret } };
      const tag = `${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
      const token = async (name: string) => (await gqlOk(admin, `mutation { createTenant(name: "${name}-${tag}") { apiKey } }`)).createTenant.apiKey as string;
      const f = await storm(server.url, await token('storm-a'), await token('storm-b'), sockets);
      const kinds = Object.entries(f.outcomes)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      say(`| ${sockets} × ${PER_SOCKET} | ${server.label} | ${(f.stormMs / 1000).toFixed(2)} s | ${kinds} | ${fmt(f.health)} | ${fmt(f.query)} |`);
    }
  }
  say();
}
