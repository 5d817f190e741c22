/**
 * Each tenant's share of a process' database connections (TENANT_MAX_DB_CONNECTIONS,
 * src/lib/tenant-db-gate.ts; issue 10: one tenant's many slow transactions held every connection
 * of the pool, and every other tenant waited), against real PostgreSQL through `withTenant`.
 * Tenant A's slow transactions block inside the database on an advisory lock the test holds (as a
 * long pg_sleep would, but they end when the test says, not after a time): A holds its share of
 * the pool, its further transactions wait at the gate, and tenant B's query is answered while A's
 * are still running; A's waiting transactions run once A's first ones end. A wait past its bound
 * is refused with QUOTA_EXCEEDED, and so is a `withTenant` nested in one of the same tenant when
 * the share is full (bounded, never a hang; no code nests them). In the API process (DATABASE_POOL_SIZE, TENANT_MAX_DB_CONNECTIONS)
 * a GraphQL request of A waits while A's place is held, B's is answered, and /metrics counts the
 * wait without naming a tenant.
 */
import pg from 'pg';
import type { App } from '../../src/app';
import { gqlOk } from '../../src/client/graphql-client';
import { createPrisma } from '../../src/lib/db';
import { AppError } from '../../src/lib/errors';
import { withTenant, type Tx } from '../../src/lib/tenant-tx';
import { startTestApp } from '../support/app';
import { workerDatabaseUrl } from '../support/database';
import { createTenant, type TenantBundle } from '../support/factories';
import { until } from '../support/raw-ws';

/** The advisory lock A's slow transactions wait on while the test holds it. */
const LOCK = 10_042;
const POOL = 4;
const SHARE = 2;
const A = 'tenant-a';
const B = 'tenant-b';

let db: ReturnType<typeof createPrisma>;
let control: pg.Client;

beforeAll(async () => {
  db = createPrisma(workerDatabaseUrl(), undefined, { size: POOL, perTenant: SHARE });
  control = new pg.Client({ connectionString: workerDatabaseUrl() });
  await control.connect();
});
afterAll(async () => {
  await control.end();
  await db.prisma.$disconnect();
  await db.pool.end();
});

/** Transactions blocked on {@link LOCK} in the database now. */
async function blockedInDatabase(): Promise<number> {
  const { rows } = await control.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted AND pid <> pg_backend_pid()`,
    [LOCK],
  );
  return rows[0]!.n;
}

/** Which of A's slow transactions have ended, in order. */
let ended: string[] = [];

/** A slow transaction of A, named `name`: it waits in the database until the test releases {@link LOCK}. */
const slow = (name: string, maxWait?: number) =>
  withTenant(
    db.prisma,
    A,
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${LOCK})`;
      return name;
    },
    maxWait === undefined ? undefined : { maxWait },
  ).then((n) => (ended.push(n), n));

/** The tenant the transaction is bound to (the row-level-security setting withTenant makes). */
const boundTenant = async (tx: Tx) => (await tx.$queryRaw<{ t: string }[]>`SELECT current_setting('app.tenant_id') AS t`)[0]!.t;

beforeEach(async () => {
  ended = [];
  await control.query('SELECT pg_advisory_lock($1)', [LOCK]);
});
afterEach(async () => {
  await control.query('SELECT pg_advisory_unlock_all()');
  await until('every gate place is free', () => db.gate.holding(A) === 0 && db.gate.waiting() === 0);
});

it("answers tenant B while tenant A's slow transactions hold A's share, and runs A's waiting ones as A's first ones end", async () => {
  // Five of A at once, more than the whole pool: without the gate they would hold all 4 connections.
  const names = ['a1', 'a2', 'a3', 'a4', 'a5'];
  const calls = names.map((n) => slow(n));
  await until("A's share runs in the database", async () => (await blockedInDatabase()) === SHARE);
  await until("A's others wait at the gate", () => db.gate.waiting(A) === names.length - SHARE);

  expect(await withTenant(db.prisma, B, boundTenant)).toBe(B);
  // B was answered while A's transactions were all still running or waiting.
  expect([ended, db.gate.holding(A), db.gate.waiting(A), await blockedInDatabase()]).toEqual([[], SHARE, 3, SHARE]);

  await control.query('SELECT pg_advisory_unlock($1)', [LOCK]);
  expect(await Promise.all(calls)).toEqual(names);
  // The waiting ones started only as the first ones ended (their order at the gate: test/unit/tenant-db-gate.spec.ts).
  expect(['a1', 'a2']).toContain(ended[0]);
  expect([...ended].sort()).toEqual(names);
});

it("refuses A's transaction that waited past its maxWait with QUOTA_EXCEEDED (DB_CONNECTIONS), and serves A again once a place frees", async () => {
  const first = [slow('a1'), slow('a2')];
  await until("A's share runs in the database", async () => (await blockedInDatabase()) === SHARE);
  const refused = await slow('late', 50).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(AppError);
  expect([(refused as AppError).code, (refused as AppError).details, (refused as AppError).message]).toEqual([
    'QUOTA_EXCEEDED',
    { reason: 'DB_CONNECTIONS', limit: SHARE, retryAfterSeconds: 1 },
    `No database connection within 50 ms: this tenant already has ${SHARE} database transactions in progress on this server, the most at once (TENANT_MAX_DB_CONNECTIONS=${SHARE}); retry when one has ended`,
  ]);
  expect([db.gate.waiting(A), ended]).toEqual([0, []]);
  await control.query('SELECT pg_advisory_unlock($1)', [LOCK]);
  expect(await Promise.all(first)).toEqual(['a1', 'a2']);
  expect(await withTenant(db.prisma, A, boundTenant)).toBe(A);
});

it("refuses a withTenant nested in one of the same tenant after its maxWait when the tenant's share is full: bounded, not a hang", async () => {
  const blocked = slow('a1');
  await until('one of A runs in the database', async () => (await blockedInDatabase()) === 1);
  // The outer call takes A's second (last) place; the inner one waits for a third, then is refused.
  const inner = await withTenant(db.prisma, A, async (tx) => {
    const outer = await boundTenant(tx);
    const nested = await withTenant(db.prisma, A, boundTenant, { maxWait: 50 }).catch((e: AppError) => e.code);
    return [outer, nested, db.gate.holding(A)];
  });
  expect(inner).toEqual([A, 'QUOTA_EXCEEDED', SHARE]);
  await control.query('SELECT pg_advisory_unlock($1)', [LOCK]);
  expect(await blocked).toBe('a1');
});

describe('in the API process', () => {
  let app: App;
  let a: TenantBundle;
  let b: TenantBundle;
  const DATASETS = '{ datasetsConnection(first: 1) { totalCount } }';
  const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(app.server.url.replace(/\/graphql$/, '/metrics'))).text())?.[1]);

  beforeAll(async () => {
    app = await startTestApp({ WORKER_ENABLED: 'false', DATABASE_POOL_SIZE: '4', TENANT_MAX_DB_CONNECTIONS: '1' });
    a = await createTenant(app, 'db-share-a');
    b = await createTenant(app, 'db-share-b');
  });
  afterAll(() => app.stop());

  it("makes A's request wait while A's one place is held, answers B meanwhile, and counts the wait without naming a tenant", async () => {
    expect([app.db.gate.capacity, app.db.gate.perTenant]).toEqual([4, 1]);
    const waitsBefore = await metric('maas_db_gate_waits_total');
    // A's one place, held by a transaction blocked in the database.
    const holder = withTenant(app.db.prisma, a.tenantId, async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${LOCK})`;
      return 'held';
    });
    await until("A's place is held in the database", async () => (await blockedInDatabase()) === 1);
    let answered = false;
    const waiting = gqlOk<any>(a, DATASETS).then((d) => ((answered = true), d));
    await until("A's request waits at the gate", () => app.db.gate.waiting(a.tenantId) === 1);
    expect((await gqlOk<any>(b, DATASETS)).datasetsConnection.totalCount).toBe(0);
    const text = await (await fetch(app.server.url.replace(/\/graphql$/, '/metrics'))).text();
    expect([answered, /^maas_db_gate_waiting 1$/m.test(text), await metric('maas_db_gate_waits_total')]).toEqual([false, true, waitsBefore + 1]);
    expect(text).not.toContain(a.tenantId);
    await control.query('SELECT pg_advisory_unlock($1)', [LOCK]);
    expect([await holder, (await waiting).datasetsConnection.totalCount]).toEqual(['held', 0]);
  });
});
