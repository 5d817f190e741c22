/**
 * Websockets before authentication (issue 10, websocket abuse): one client address may hold at most
 * WS_MAX_UNAUTHENTICATED_PER_ADDRESS sockets that have no accepted credential (not yet sent
 * connection_init, sent none, or a wrong one); the next is closed with 4429, other addresses and
 * authenticated sockets are unaffected, and a socket that never sends connection_init is closed after
 * WS_CONNECTION_INIT_TIMEOUT_MS (4408), freeing its place. The address comes from X-Forwarded-For
 * (TRUST_PROXY_HOPS=1, the failed-credential throttle's rule), so one test process plays several clients.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { App } from '../src/app';
import { collect, type GqlResult } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';

let app: App;
let t: TenantBundle;
beforeAll(async () => {
  app = await startTestApp({ WS_MAX_UNAUTHENTICATED_PER_ADDRESS: '2', WS_CONNECTION_INIT_TIMEOUT_MS: '1500', TRUST_PROXY_HOPS: '1', WORKER_ENABLED: 'false' });
  t = await createTenant(app, 'sockets');
});
afterAll(() => app.stop());

const open: WebSocket[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await Promise.all(open.splice(0).map((s) => (s.readyState === WebSocket.CLOSED ? undefined : new Promise((r) => (s.once('close', r), s.close())))));
});

const REFUSED = { code: 4429, reason: 'Too many unauthenticated websockets from this address (limit 2 per server)' };

interface Raw {
  socket: WebSocket;
  /** The first message or the close, whichever comes first. */
  first: Promise<{ message: string } | { code: number; reason: string }>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A raw graphql-transport-ws socket from `address`; sends connection_init with `init` unless it is undefined. */
function raw(address: string, init?: Record<string, unknown>): Raw {
  const socket = new WebSocket(app.server.wsUrl, 'graphql-transport-ws', { headers: { 'x-forwarded-for': address } });
  open.push(socket);
  const closed = new Promise<{ code: number; reason: string }>((r) => socket.once('close', (code, reason) => r({ code, reason: String(reason) })));
  const first = Promise.race([new Promise<{ message: string }>((r) => socket.once('message', (m) => r({ message: String(m) }))), closed]);
  if (init) socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: init })));
  return { socket, first, closed };
}

const ACK = { message: '{"type":"connection_ack"}' };

/** A graphql-ws client of `t` from `address`, connected (acknowledged), or the close that refused it. */
async function authenticated(address: string, token = t.token!) {
  let closed!: (e: { code: number; reason: string }) => void;
  const closedP = new Promise<{ code: number; reason: string }>((r) => (closed = r));
  let client!: Client;
  const acked = new Promise<void>((resolve) => {
    client = createClient({
      url: app.server.wsUrl,
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers: { 'x-forwarded-for': address } });
        }
      },
      connectionParams: { Authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined, // the refusal is asserted from `closed`
      on: { connected: () => resolve(), closed: (e) => closed({ code: (e as CloseEvent).code, reason: String((e as CloseEvent).reason) }) },
    });
    clients.push(client);
  });
  return { client, outcome: await Promise.race([acked.then(() => 'open' as const), closedP]) };
}

it('closes the socket past the limit of sockets without a credential, per address; other addresses and authenticated sockets are unaffected', async () => {
  const address = '198.51.100.1';
  // One sent no credential, one a wrong one: both stay open, both count.
  const none = raw(address, {});
  const wrong = raw(address, { Authorization: 'Bearer mk_wrong' });
  expect([await none.first, await wrong.first]).toEqual([ACK, ACK]);
  // The third, before it says anything, is closed.
  expect(await raw(address).first).toEqual(REFUSED);
  // A valid credential from the same address is refused too while the two are held: it cannot be told apart before connection_init.
  expect((await authenticated(address)).outcome).toEqual(REFUSED);
  // Another address has its own count.
  expect(await raw('198.51.100.2', {}).first).toEqual(ACK);
  // Freed by a close: the next socket from the address is served, and once authenticated it no longer counts.
  none.socket.close();
  await none.closed;
  const ok = await authenticated(address);
  expect(ok.outcome).toBe('open');
  const [viewer] = await collect(ok.client, '{ viewer { tenantId } }', {}).done;
  expect((viewer as GqlResult).data?.viewer.tenantId).toBe(t.tenantId);
  expect(await raw(address, {}).first).toEqual(ACK);
  expect(await raw(address).first).toEqual(REFUSED);
  expect(wrong.socket.readyState).toBe(WebSocket.OPEN);
});

it('lets any number of authenticated sockets in from one address', async () => {
  const address = '198.51.100.3';
  for (let i = 0; i < 4; i++) expect((await authenticated(address)).outcome).toBe('open');
  const [a, b] = [raw(address, {}), raw(address, {})];
  expect([await a.first, await b.first]).toEqual([ACK, ACK]);
});

it('closes a socket that never sends connection_init after WS_CONNECTION_INIT_TIMEOUT_MS (4408), freeing its place', async () => {
  const address = '198.51.100.4';
  const silent = [raw(address), raw(address)];
  expect(await raw(address).first).toEqual(REFUSED);
  for (const s of silent) expect(await s.first).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  expect(await raw(address, {}).first).toEqual(ACK);
});
