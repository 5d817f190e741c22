/**
 * What one tenant's websockets may cost a process (issue #10, one tenant degrading another): at
 * most WS_MAX_SOCKETS_PER_TENANT open sockets per tenant (the next is closed with 4429, other
 * tenants unaffected), at most WS_MAX_OPERATIONS_PER_SOCKET operations at once on one socket (the
 * next gets QUOTA_EXCEEDED on its own id; the socket and its other subscriptions stay).
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { App } from '../src/app';
import { collect, type GqlResult } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { startRun } from './support/training';

let app: App;
beforeAll(async () => (app = await startTestApp({ WS_MAX_SOCKETS_PER_TENANT: '2', WS_MAX_OPERATIONS_PER_SOCKET: '2', WORKER_ENABLED: 'false' })));
afterAll(() => app.stop());

const VIEWER = '{ viewer { tenantId } }';
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

/** A connected client of `t` (connection acknowledged) and its close event. */
async function connect(t: TenantBundle) {
  let closed!: (e: { code: number; reason: string }) => void;
  const closedP = new Promise<{ code: number; reason: string }>((r) => (closed = r));
  const acked = new Promise<void>((resolve) => {
    const client = createClient({
      url: t.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${t.token}` },
      retryAttempts: 0,
      lazy: false,
      on: { connected: () => resolve(), closed: (e) => closed({ code: (e as CloseEvent).code, reason: String((e as CloseEvent).reason) }) },
    });
    clients.push(client);
  });
  const outcome = await Promise.race([acked.then(() => 'open' as const), closedP]);
  return { client: clients[clients.length - 1], outcome, closed: closedP };
}

it('closes a tenant socket past WS_MAX_SOCKETS_PER_TENANT with 4429; other tenants connect; a freed slot is reusable', async () => {
  const a = await createTenant(app, 'sockets');
  const b = await createTenant(app, 'other');
  const first = await connect(a);
  const second = await connect(a);
  expect([first.outcome, second.outcome]).toEqual(['open', 'open']);
  const third = await connect(a);
  expect(third.outcome).toEqual({ code: 4429, reason: 'Too many websocket connections for this tenant (limit 2 per server)' });
  expect((await connect(b)).outcome).toBe('open');
  const [ok] = await collect(first.client, VIEWER, {}).done;
  expect((ok as GqlResult).data?.viewer.tenantId).toBe(a.tenantId);
  await first.client.dispose();
  await first.closed;
  expect((await connect(a)).outcome).toBe('open');
});

it('refuses an operation past WS_MAX_OPERATIONS_PER_SOCKET with QUOTA_EXCEEDED on its id, keeping the socket and the others', async () => {
  const t = await createTenant(app, 'ops');
  const data = await uploadCsv(t, PIMA_CSV, 'pima');
  const run = await startRun(t, data, 'm'); // stays QUEUED: no worker here, so its progress subscriptions stay open
  const { client } = await connect(t);
  const PROGRESS = 'subscription($id: ID!) { trainingProgress(runId: $id) { status } }';
  const one = collect(client, PROGRESS, { id: run.id });
  const two = collect(client, PROGRESS, { id: run.id });
  await new Promise((r) => setTimeout(r, 200)); // both registered (a subscription sends nothing while QUEUED)
  const [refused] = await collect(client, VIEWER, {}).done;
  expect(refused.errors?.[0]).toMatchObject({
    message: 'This websocket already runs 2 operations, the most at once (WS_MAX_OPERATIONS_PER_SOCKET); complete one first',
    extensions: { code: 'QUOTA_EXCEEDED' },
  });
  expect(one.events).toEqual([]);
  expect(two.events).toEqual([]);
  // The socket is still open, and the subscriptions still live: cancelling the run ends them with its final state.
  const cancel = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
    body: JSON.stringify({ query: 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }', variables: { id: run.id } }),
  });
  expect(((await cancel.json()) as GqlResult).errors).toBeUndefined();
  const ends = await Promise.all([one.done, two.done]);
  for (const events of ends) expect(events[events.length - 1].data?.trainingProgress.status).toBe('CANCELLED');
});
