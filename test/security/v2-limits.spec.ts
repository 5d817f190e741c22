/**
 * The V2 routes count against the same per-tenant prediction rate limit as GraphQL predict (one
 * budget per tenant, whichever transport spends it, JSON or the binary data extension): 429
 * QUOTA_EXCEEDED with Retry-After past it, and another tenant unaffected.
 */
import type { App } from '../../src/app';
import { codeOf, gql } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { KERAS_SPEC, PIMA_COLUMNS, PIMA_CSV, PIMA_ROWS } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { trainVersion } from '../support/training';
import { matrixTensor, v2 } from '../support/v2';
import { binaryRequest, postBinary, type BinaryTensor } from '../support/v2-binary';

let app: App;
let a: TenantBundle;
let b: TenantBundle;
const LIMIT = 30;
const FEATURES = PIMA_COLUMNS.slice(0, 8);
const PREDICT = 'query($rows: [JSONObject!]!) { predict(model: "limited", rows: $rows) { version } }';

const infer = (t: TenantBundle, rows: number) => v2(t.url, '/v2/models/limited/infer', { token: t.token, body: { inputs: [matrixTensor(PIMA_ROWS.slice(0, rows), FEATURES)] } });

beforeAll(async () => {
  app = await startTestApp({ QUOTA_PREDICTIONS_PER_MINUTE: String(LIMIT) });
  [a, b] = [await createTenant(app, 'limited-a'), await createTenant(app, 'limited-b')];
  for (const t of [a, b]) {
    const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
    await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'limited', spec: { ...KERAS_SPEC, epochs: 1 } });
  }
});
afterAll(() => app.stop());

it('refuses a call larger than a whole minute’s budget with 429 and no Retry-After', async () => {
  const r = await infer(a, LIMIT + 1);
  expect([r.status, r.body.code, r.headers.get('retry-after')]).toEqual([429, 'QUOTA_EXCEEDED', null]);
  expect(r.body.error).toBe(
    `This call needs ${LIMIT + 1} predictions (rows, or model evaluations for explain), more than the rate limit of ${LIMIT} per minute allows at all: send fewer rows`,
  );
});

it('shares one budget with GraphQL predict, answers 429 with Retry-After past it, and leaves another tenant alone', async () => {
  expect((await infer(a, 20)).status).toBe(200);
  expect(codeOf(await gql(a, PREDICT, { rows: PIMA_ROWS.slice(0, 10) }))).toBeUndefined();
  const r = await infer(a, 1);
  expect([r.status, r.body.code]).toEqual([429, 'QUOTA_EXCEEDED']);
  expect(r.body.error).toMatch(new RegExp(`rate limit of ${LIMIT} rows per minute is reached; retry in \\d+ s`));
  const retry = Number(r.headers.get('retry-after'));
  expect(retry).toBeGreaterThan(0);
  expect(retry).toBeLessThanOrEqual(60);
  expect(r.body.details.retryAfterSeconds).toBeGreaterThan(0);
  expect(codeOf(await gql(a, PREDICT, { rows: PIMA_ROWS.slice(0, 1) }))).toBe('QUOTA_EXCEEDED');
  // Once the budget is known spent, a JSON call is refused before its body is read: a body that is
  // not even JSON gets the 429, not a 400 (a tenant past its limit costs little to refuse).
  const unread = await v2(a.url, '/v2/models/limited/infer', { token: a.token, body: '{"inputs": [not json' });
  expect([unread.status, unread.body.code]).toEqual([429, 'QUOTA_EXCEEDED']);
  expect(Number(unread.headers.get('retry-after'))).toBeGreaterThan(0);
  // The binary data extension spends the same budget.
  const binary = await postBinary(a.url, '/v2/models/limited/infer', binaryRequest([matrixTensor(PIMA_ROWS.slice(0, 1), FEATURES) as BinaryTensor]), a.token);
  expect([binary.status, binary.json.code]).toEqual([429, 'QUOTA_EXCEEDED']);
  expect(Number(binary.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await infer(b, 20)).status).toBe(200);
  expect((await postBinary(b.url, '/v2/models/limited/infer', binaryRequest([matrixTensor(PIMA_ROWS.slice(0, 10), FEATURES) as BinaryTensor]), b.token)).status).toBe(200);
  const spent = await postBinary(b.url, '/v2/models/limited/infer', binaryRequest([matrixTensor(PIMA_ROWS.slice(0, 1), FEATURES) as BinaryTensor]), b.token);
  expect([spent.status, spent.json.code]).toEqual([429, 'QUOTA_EXCEEDED']);
});
