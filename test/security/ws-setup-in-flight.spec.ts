/**
 * A tenant's websocket operations being set up count against its in-flight cap (issue 10, review
 * F1: 5,000 modelStageChanged subscribes within the socket caps each read the database before their
 * first event, exhausted the pool — INTERNAL_SERVER_ERROR for thousands — and stalled every other
 * tenant). Tenant A's set-up reads are held in the database by a table lock the test holds (they
 * end when the test says, not after a time): A's subscribes past TENANT_MAX_IN_FLIGHT get
 * QUOTA_EXCEEDED (IN_FLIGHT) on their own ids at once, the socket stays open, tenant B's query is
 * answered while A's admitted set-ups are still pending, and when the lock goes every admitted
 * subscription gets its first event; none gets INTERNAL_SERVER_ERROR. A database wait that still
 * times out is coded (QUOTA_EXCEEDED DB_CONNECTIONS), not an internal error.
 */
import pg from 'pg';
import type { App } from '../../src/app';
import { gqlOk } from '../../src/client/graphql-client';
import { fromDatabaseError } from '../../src/lib/errors';
import { startTestApp } from '../support/app';
import { workerDatabaseUrl } from '../support/database';
import { createTenant } from '../support/factories';
import { rawSocket as socketOf, until } from '../support/raw-ws';

const CAP = 4;
const SUBSCRIBES = 20;
const STREAM = 'subscription { modelStageChanged(model: "diab") { modelName transition { version } stages { version stage } } }';

let app: App;
let control: pg.Client;
beforeAll(async () => {
  app = await startTestApp({ TENANT_MAX_IN_FLIGHT: String(CAP), WORKER_ENABLED: 'false' });
  control = new pg.Client({ connectionString: workerDatabaseUrl() });
  await control.connect();
});
afterAll(async () => {
  await control.end();
  await app.stop();
});

/** Transactions waiting for a table lock in the database now (A's set-up reads behind the test's lock). */
async function waitingOnTableLock(): Promise<number> {
  const { rows } = await control.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'relation' AND NOT granted`);
  return rows[0]!.n;
}

it("refuses A's set-ups past its in-flight cap with QUOTA_EXCEEDED on their ids, keeps the socket, and answers B meanwhile", async () => {
  const a = await createTenant(app, 'setup-a');
  const b = await createTenant(app, 'setup-b');
  await control.query(`INSERT INTO "Model" (id, "tenantId", name) VALUES (gen_random_uuid()::text, $1, 'diab')`, [a.tenantId]);
  const ws = await socketOf(a.wsUrl, a.apiKey);
  const byId = (id: string) => ws.messages.filter((m) => m.id === id);

  // The stages read of every set-up waits in the database until the test commits.
  await control.query('BEGIN');
  await control.query('LOCK TABLE "ModelVersion" IN ACCESS EXCLUSIVE MODE');
  const ids = Array.from({ length: SUBSCRIBES }, (_, i) => `s${i}`);
  for (const id of ids) ws.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: STREAM } }));

  const refusedIds = () => ids.filter((id) => byId(id).some((m) => m.type === 'error'));
  await until('the excess refused', () => refusedIds().length === SUBSCRIBES - CAP);
  await until("A's admitted set-ups waiting in the database", async () => (await waitingOnTableLock()) > 0);
  for (const id of refusedIds()) {
    expect(byId(id)).toEqual([
      {
        id,
        type: 'error',
        payload: [
          {
            message: `This tenant already has ${CAP} requests in progress on this server, the most at once (TENANT_MAX_IN_FLIGHT=${CAP}); retry when one has been answered`,
            extensions: { code: 'QUOTA_EXCEEDED', reason: 'IN_FLIGHT', limit: CAP, retryAfterSeconds: 1 },
          },
        ],
      },
    ]);
  }
  const admitted = ids.filter((id) => !refusedIds().includes(id));
  expect(admitted).toHaveLength(CAP);

  // B is answered while every one of A's admitted set-ups is still pending.
  const bAnswer = await gqlOk(b, '{ myLimits { maxRequestsInFlight } }');
  expect(bAnswer).toEqual({ myLimits: { maxRequestsInFlight: CAP } });
  expect(admitted.map((id) => byId(id))).toEqual(admitted.map(() => []));

  // A's HTTP requests count against the same cap meanwhile.
  const aHttp = await fetch(a.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
    body: '{"query":"{ myLimits { maxRequestsInFlight } }"}',
  });
  expect(aHttp.status).toBe(429);

  await control.query('COMMIT');
  await until('every admitted subscription has its first event', () => admitted.every((id) => byId(id).length > 0));
  for (const id of admitted) {
    expect(byId(id)).toEqual([{ id, type: 'next', payload: { data: { modelStageChanged: { modelName: 'diab', transition: null, stages: [] } } } }]);
  }
  expect(JSON.stringify(ws.messages)).not.toContain('INTERNAL_SERVER_ERROR');

  // The socket stayed open, and with the set-ups done the cap is free again for it.
  expect(ws.closed()).toBeUndefined();
  ws.socket.send(JSON.stringify({ id: 'later', type: 'subscribe', payload: { query: STREAM } }));
  await until('the later subscription answered', () => byId('later').length > 0);
  expect(byId('later')[0]).toMatchObject({ type: 'next', payload: { data: { modelStageChanged: { stages: [] } } } });
  ws.socket.close();
});

it('codes a database connection wait that timed out as QUOTA_EXCEEDED (DB_CONNECTIONS), not an internal error', () => {
  for (const message of ['Transaction API error: Unable to start a transaction in the given time.', 'timeout exceeded when trying to connect']) {
    expect(fromDatabaseError(new Error(message))).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { reason: 'DB_CONNECTIONS', retryAfterSeconds: 1 } });
  }
  expect(fromDatabaseError(new Error('connection terminated unexpectedly'))).toBeUndefined();
});
