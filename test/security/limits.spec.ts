/**
 * Abuse limits and quotas: each refusal is a coded error, nothing is half-written, and the server
 * serves the next valid request. Limits are set low through the environment for this file.
 */
import type { App } from '../../src/app';
import { codeOf, gql, gqlOk, uploadFile } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { createTenant, type TenantBundle } from '../support/factories';
import { START_RUN } from '../support/training';

let app: App;
let t: TenantBundle;
let datasetId: string;

/** 40 rows, y = (x > 20): about 300 bytes. */
const SMALL = 'x,y\n' + Array.from({ length: 40 }, (_, i) => `${i},${i > 20 ? 1 : 0}`).join('\n') + '\n';
const SPEC = { layers: [{ units: 1, activation: 'SIGMOID' }], loss: 'BINARY_CROSSENTROPY' };

beforeAll(async () => {
  app = await startTestApp({
    GRAPHQL_MAX_DEPTH: '3',
    MAX_UPLOAD_BYTES: '3000',
    MAX_REQUEST_BYTES: '8192',
    QUOTA_CONCURRENT_RUNS: '1',
    QUOTA_DATASET_BYTES: '2000',
    QUOTA_PREDICTIONS_PER_MINUTE: '5',
    MAX_DATASET_COLUMNS: '20',
  });
  t = await createTenant(app, 'limits');
  datasetId = (await gqlOk(t, 'mutation($csv: String!) { uploadDataset(name: "small", csv: $csv) { id } }', { csv: SMALL })).uploadDataset.id;
});
afterAll(() => app.stop());

/** The server still answers a valid request after each refusal. */
afterEach(async () => {
  expect((await gqlOk(t, '{ viewer { tenantName } }')).viewer.tenantName).toBe(t.name);
});

it('refuses a query nested deeper than GRAPHQL_MAX_DEPTH', async () => {
  const r = await gql(t, '{ models { versions { metrics { confusionMatrix } } } }');
  expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(r.errors![0].message).toBe('The query is refused: Query depth limit of 3 exceeded, found 4 (GRAPHQL_MAX_DEPTH).');
  expect((await gqlOk(t, '{ models { versions { version } } }')).models).toEqual([]);
});

it('refuses an over-size upload, as a file and inline, storing nothing', async () => {
  const big = 'x,y\n' + '1234567890,1\n'.repeat(300);
  const asFile = await uploadFile(t, 'big', 'big.csv', big);
  expect(codeOf(asFile)).toBe('BAD_USER_INPUT');
  expect(asFile.errors![0].message).toBe('file is larger than the upload limit of 3000 bytes');
  const inline = await gql(t, 'mutation($csv: String!) { uploadDataset(name: "big", csv: $csv) { id } }', { csv: big.slice(0, 4000) });
  expect(codeOf(inline)).toBe('BAD_USER_INPUT');
  expect(inline.errors![0].message).toBe('csv is larger than the upload limit of 3000 bytes');
  expect((await gqlOk(t, '{ datasets { name } }')).datasets).toEqual([{ name: 'small' }]);
});

it('refuses a CSV wider than MAX_DATASET_COLUMNS, storing nothing', async () => {
  const names = Array.from({ length: 21 }, (_, j) => `c${j}`);
  const wide = `${names.join(',')}\n${names.map(() => '1').join(',')}\n`;
  const r = await gql(t, 'mutation($csv: String!) { uploadDataset(name: "wide", csv: $csv) { id } }', { csv: wide });
  expect(codeOf(r)).toBe('BAD_USER_INPUT');
  expect(r.errors![0].message).toBe('The CSV has 21 columns; at most 20 are accepted (MAX_DATASET_COLUMNS)');
  expect((await gqlOk(t, '{ datasets { name } }')).datasets).toEqual([{ name: 'small' }]);
});

it('refuses a request body over MAX_REQUEST_BYTES before parsing it', async () => {
  const res = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
    body: JSON.stringify({ query: '{ viewer { kind } }', variables: { pad: 'x'.repeat(10_000) } }),
  });
  expect(res.status).toBe(413);
  expect(await res.json()).toEqual({ errors: [{ message: 'The request body is larger than the limit of 8192 bytes', extensions: { code: 'BAD_USER_INPUT' } }] });
});

it('refuses a dataset past the storage quota', async () => {
  const csv = 'x,y\n' + '1,1\n'.repeat(500); // 2004 bytes: under the upload limit, over the storage quota
  const r = await gql(t, 'mutation($csv: String!) { uploadDataset(name: "more", csv: $csv) { id } }', { csv });
  expect(codeOf(r)).toBe('QUOTA_EXCEEDED');
  expect(r.errors![0].message).toMatch(/would exceed the storage quota of 2000 bytes \(\d+ used: datasets \d+, model artifacts \d+, batch results \d+\)/);
});

it('refuses a run past the concurrent-runs quota, and accepts one after cancelling', async () => {
  const input = (modelName: string, epochs: number) => ({ input: { datasetId, targetColumn: 'y', modelName, spec: { ...SPEC, epochs } } });
  const first = await gqlOk(t, START_RUN, input('first', 1000));
  const second = await gql(t, START_RUN, input('second', 1));
  expect(codeOf(second)).toBe('QUOTA_EXCEEDED');
  expect(second.errors![0].message).toBe('1 training runs are already queued or running; the quota is 1 at once');
  expect(await app.db.prisma.trainingRun.count({ where: { modelName: 'second' } })).toBe(0);
  await gqlOk(t, 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }', { id: first.startTrainingRun.id });
  const third = await gqlOk(t, START_RUN, input('third', 1));
  expect(third.startTrainingRun.status).toBe('QUEUED');
  await gqlOk(t, 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }', { id: third.startTrainingRun.id }).catch(() => undefined);
});

it('rate-limits predictions per tenant with a retry-after hint', async () => {
  const ok = await gql(t, 'query($rows: [JSONObject!]!) { predict(model: "none", rows: $rows) { version } }', { rows: [{ x: 1 }, { x: 2 }, { x: 3 }] });
  expect(codeOf(ok)).toBe('NOT_FOUND'); // counted, then no such model
  const r = await gql(t, 'query($rows: [JSONObject!]!) { predict(model: "none", rows: $rows) { version } }', { rows: [{ x: 1 }, { x: 2 }, { x: 3 }] });
  expect(codeOf(r)).toBe('QUOTA_EXCEEDED');
  expect(r.errors![0].message).toMatch(/rate limit of 5 rows per minute is reached; retry in \d+ s/);
  expect(r.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
  expect(r.errors![0].extensions!.retryAfterSeconds).toBeLessThanOrEqual(60);
  // A call larger than a whole minute's budget can never succeed: no retry hint.
  const huge = await gql(t, 'query($rows: [JSONObject!]!) { predict(model: "none", rows: $rows) { version } }', { rows: Array.from({ length: 6 }, (_, x) => ({ x })) });
  expect(codeOf(huge)).toBe('QUOTA_EXCEEDED');
  expect(huge.errors![0].message).toBe(
    'This call needs 6 predictions (rows, or model evaluations for explain), more than the rate limit of 5 per minute allows at all: send fewer rows',
  );
  expect(huge.errors![0].extensions!.retryAfterSeconds).toBeUndefined();
});
