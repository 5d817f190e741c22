/**
 * The fair claim of training slots (TrainingRunRepo.claimFairly, issue #14 "Compute that is shared
 * fairly"), against the real database with runs written straight to it and no worker: the order
 * over tenants (fewest running, then least recently served, then longest waiting), the per-tenant
 * running limit, `priority` within a tenant only, and concurrent claims (several workers) never
 * passing a limit. test/training-slots.spec.ts shows the same end to end with real training.
 */
import type { App } from '../src/app';
import { createRepos } from '../src/modules/repos';
import { startTestApp } from './support/app';
import { PIMA_CSV } from './support/data';
import { createTenant, uploadCsv } from './support/factories';

let app: App;
const LEASE_MS = 30_000;
const DEFAULT_MAX_RUNNING = 2;
beforeAll(async () => (app = await startTestApp({ WORKER_ENABLED: 'false' })));
afterAll(() => app.stop());
// The claim spans every tenant: leave nothing claimable for the next test.
afterEach(() => app.db.prisma.trainingRun.updateMany({ where: { status: { in: ['QUEUED', 'RUNNING'] } }, data: { status: 'CANCELLED' } }));

const claim = () => createRepos(app.db.prisma).runs.claimFairly(app.db.prisma, 'test-worker', LEASE_MS, DEFAULT_MAX_RUNNING);

interface Seed {
  status?: 'QUEUED' | 'RUNNING' | 'SUCCEEDED';
  /** Seconds ago. */
  created: number;
  started?: number;
  priority?: number;
  /** A RUNNING run's lease: live (default) or lapsed. */
  lapsed?: boolean;
}

/** A tenant with a dataset, and a function writing its runs (returns their ids). */
async function tenant(name: string) {
  const t = await createTenant(app, name);
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const ago = (s: number) => new Date(Date.now() - s * 1000);
  const runs = async (...seeds: Seed[]) => {
    const ids: string[] = [];
    for (const s of seeds) {
      const status = s.status ?? 'QUEUED';
      const row = await app.db.prisma.trainingRun.create({
        data: {
          tenantId: t.tenantId,
          datasetId,
          modelName: 'm',
          targetColumn: 'Outcome',
          featureColumns: ['Glucose'],
          spec: {},
          status,
          priority: s.priority ?? 0,
          createdAt: ago(s.created),
          startedAt: s.started !== undefined ? ago(s.started) : null,
          ...(status === 'RUNNING' ? { leaseOwner: 'other-worker', leaseExpiresAt: s.lapsed ? ago(1) : ago(-60) } : {}),
        },
      });
      ids.push(row.id);
    }
    return ids;
  };
  return { tenantId: t.tenantId, runs };
}

it('claims for the tenant with the fewest running runs before an older run of a busier tenant, then takes turns', async () => {
  const a = await tenant('busy');
  const b = await tenant('idle');
  const [, a2] = await a.runs({ status: 'RUNNING', created: 100, started: 90 }, { created: 80 });
  const [b1] = await b.runs({ created: 10 });
  expect(await claim()).toEqual({ run: { id: b1, tenantId: b.tenantId }, waiting: false });
  // Now both have one running; A was served longer ago than B.
  expect(await claim()).toEqual({ run: { id: a2, tenantId: a.tenantId }, waiting: false });
  expect(await claim()).toEqual({ waiting: false });
  const claimed = await app.db.prisma.trainingRun.findUniqueOrThrow({ where: { id: a2 } });
  expect(claimed).toMatchObject({ status: 'RUNNING', leaseOwner: 'test-worker', attempts: 1 });
});

it('between tenants with as many running runs, the one served least recently goes first, though its runs are younger', async () => {
  const a = await tenant('served');
  const b = await tenant('waiting');
  const [, a2] = await a.runs({ status: 'SUCCEEDED', created: 200, started: 5 }, { created: 100 });
  const [, b1] = await b.runs({ status: 'SUCCEEDED', created: 300, started: 250 }, { created: 50 });
  expect((await claim()).run?.id).toBe(b1);
  expect((await claim()).run?.id).toBe(a2);
});

it('keeps a tenant at its running limit (its override, else the default) waiting while a slot is free; a lapsed lease does not count and its run is taken over', async () => {
  const a = await tenant('limited');
  await app.db.prisma.tenantLimits.create({ data: { tenantId: a.tenantId, maxRunningRuns: 1 } });
  const [, queued] = await a.runs({ status: 'RUNNING', created: 60, started: 50 }, { created: 40 });
  expect(await claim()).toEqual({ waiting: true });
  await app.db.prisma.trainingRun.updateMany({ where: { tenantId: a.tenantId, status: 'RUNNING' }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
  const lapsed = (await app.db.prisma.trainingRun.findFirstOrThrow({ where: { tenantId: a.tenantId, status: 'RUNNING' } })).id;
  expect((await claim()).run?.id).toBe(lapsed); // the older of its two candidates; the limit counts live leases only
  expect(await claim()).toEqual({ waiting: true });
  expect((await app.db.prisma.trainingRun.findUniqueOrThrow({ where: { id: queued } })).status).toBe('QUEUED');

  const b = await tenant('default');
  await b.runs({ status: 'RUNNING', created: 30, started: 30 }, { status: 'RUNNING', created: 20, started: 20 }, { created: 10 });
  expect(await claim()).toEqual({ waiting: true }); // B is at the default limit (2) too
});

it("orders a tenant's own runs by priority, never another tenant's", async () => {
  const a = await tenant('eager');
  const b = await tenant('patient');
  const [b1] = await b.runs({ created: 100 });
  const [a1, a2] = await a.runs({ created: 50 }, { created: 10, priority: 100 });
  expect((await claim()).run?.id).toBe(b1);
  expect((await claim()).run?.id).toBe(a2);
  expect((await claim()).run?.id).toBe(a1);
});

it('never passes a limit when several workers claim at once', async () => {
  const a = await tenant('crowd');
  await a.runs(...Array.from({ length: 6 }, (_, i) => ({ created: 60 - i })));
  const results = await Promise.all(Array.from({ length: 6 }, () => claim()));
  expect(results.filter((r) => r.run).length).toBe(DEFAULT_MAX_RUNNING);
  expect(results.filter((r) => r.waiting).length).toBe(6 - DEFAULT_MAX_RUNNING);
  expect(await app.db.prisma.trainingRun.count({ where: { tenantId: a.tenantId, status: 'RUNNING' } })).toBe(DEFAULT_MAX_RUNNING);
});

it('a shared-slot claim (idleTenantsOnly) takes only a run of a tenant with nothing running; a lapsed lease is not running', async () => {
  const shared = () => createRepos(app.db.prisma).runs.claimFairly(app.db.prisma, 'test-worker', LEASE_MS, DEFAULT_MAX_RUNNING, true);
  const a = await tenant('training');
  const b = await tenant('lapsed');
  const c = await tenant('newcomer');
  await a.runs({ status: 'RUNNING', created: 100, started: 90 }, { created: 80 });
  const [bLapsed] = await b.runs({ status: 'RUNNING', created: 70, started: 60, lapsed: true });
  const [c1, c2] = await c.runs({ created: 10 }, { created: 5 });
  // A has a live run: its queued run waits for a regular slot. C's runs and B's lapsed run are open
  // (C, never served, first).
  expect(await shared()).toEqual({ run: { id: c1, tenantId: c.tenantId }, waiting: false });
  expect(await shared()).toEqual({ run: { id: bLapsed, tenantId: b.tenantId }, waiting: false });
  // Now every tenant has a run training: C's second and A's second wait, for a regular slot.
  expect(await shared()).toEqual({ waiting: true });
  expect(await claim()).toMatchObject({ run: { id: expect.stringMatching(/./) }, waiting: false });
  expect((await app.db.prisma.trainingRun.findUniqueOrThrow({ where: { id: c2 } })).status).toBe('QUEUED');
});
