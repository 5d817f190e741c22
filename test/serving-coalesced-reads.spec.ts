/**
 * Concurrent calls that find a per-process cache empty share one database read (src/lib/single-flight.ts):
 * the credential, the tenant's limits, the version resolution and the rate limit's block reservation.
 * Before, each of 64 requests in flight read them itself whenever a cache entry expired (bench/v2.ts:
 * ~18 % of the API's CPU), and each reserved a block of the tenant's budget of its own, counting
 * rows that were never spent.
 */
import pg from 'pg';
import type { App } from '../src/app';
import { RATE_LIMIT_CACHE_MS } from '../src/modules/quotas/quota.service';
import { startAppOnWorkerDatabase, startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_COLUMNS, PIMA_CSV, PIMA_ROWS } from './support/data';
import { workerDatabaseUrl } from './support/database';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { withStatements } from './support/sql-count';
import { trainVersion } from './support/training';
import { matrixTensor, v2 } from './support/v2';

let trainer: App;
let fresh: App | undefined;
let t: TenantBundle;
/** Rows per minute; a process reserves blocks of LIMIT / 1000 = 60 rows (QuotaService). */
const LIMIT = 60_000;
const CALLS = 32;
const FEATURES = PIMA_COLUMNS.slice(0, 8);

beforeAll(async () => {
  trainer = await startTestApp({ QUOTA_PREDICTIONS_PER_MINUTE: String(LIMIT) });
  t = await createTenant(trainer, 'coalesced');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'coalesced', spec: { ...KERAS_SPEC, epochs: 1 } });
});
afterAll(async () => {
  await fresh?.stop();
  await trainer.stop();
});

it('reads the credential, the limits and the version once, and reserves one block, for concurrent V2 calls on cold caches', async () => {
  // Another API process on the same database: nothing of this tenant cached yet.
  fresh = await startAppOnWorkerDatabase({ QUOTA_PREDICTIONS_PER_MINUTE: String(LIMIT) });
  const url = fresh.server.url;
  const body = { inputs: [matrixTensor(PIMA_ROWS.slice(0, 1), FEATURES)] };
  const started = Date.now();
  const { result, statements } = await withStatements(fresh, () =>
    Promise.all(Array.from({ length: CALLS }, () => v2(url, '/v2/models/coalesced/infer', { token: t.token, body }))),
  );
  const elapsedMs = Date.now() - started;
  expect(result.map((r) => r.status)).toEqual(Array(CALLS).fill(200));
  const count = (pattern: RegExp) => statements.filter((s) => pattern.test(s)).length;
  expect({
    apiKey: count(/^SELECT "public"\."ApiKey"\./),
    limits: count(/^SELECT "public"\."TenantLimits"\./),
    model: count(/^SELECT "public"\."Model"\."id" FROM "public"\."Model"/),
    rateLimit: count(/^ ?INSERT INTO "RateLimit"/),
  }).toEqual({ apiKey: 1, limits: expect.any(Number), model: 1, rateLimit: 1 });
  // The limits are cached for RATE_LIMIT_CACHE_MS (2 s): one shared read per cache lifetime the 32
  // calls spanned (one when they all land within it; a loaded machine can stretch them past it).
  const limitReads = count(/^SELECT "public"\."TenantLimits"\./);
  expect(limitReads).toBeGreaterThanOrEqual(1);
  expect(limitReads).toBeLessThanOrEqual(1 + Math.floor(elapsedMs / RATE_LIMIT_CACHE_MS));

  // One block of 60 rows counted in PostgreSQL for the 32 rows (before: up to 32 blocks, 1,920 rows).
  const client = new pg.Client({ connectionString: workerDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ points: number }>(`SELECT points FROM "RateLimit" WHERE key = $1`, [`predict:${t.tenantId}`]);
    expect(rows).toEqual([{ points: LIMIT / 1000 }]);
  } finally {
    await client.end();
  }
});
