/** Spec list caps through the API: a coded refusal naming the field, nothing queued, and the next request served. */
import type { App } from '../../src/app';
import { codeOf, gql, gqlOk } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { createTenant, type TenantBundle } from '../support/factories';
import { START_RUN } from '../support/training';

let app: App;
let t: TenantBundle;
let datasetId: string;
const CSV = 'x,y\n' + Array.from({ length: 40 }, (_, i) => `${i},${i > 20 ? 1 : 0}`).join('\n') + '\n';
const SPEC = { layers: [{ units: 1, activation: 'SIGMOID' }], loss: 'BINARY_CROSSENTROPY' };

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  t = await createTenant(app, 'sizes');
  datasetId = (await gqlOk(t, 'mutation($csv: String!) { uploadDataset(name: "small", csv: $csv) { id } }', { csv: CSV })).uploadDataset.id;
});
afterAll(() => app.stop());
afterEach(async () => {
  expect((await gqlOk(t, '{ viewer { tenantName } }')).viewer.tenantName).toBe(t.name);
  expect(await app.db.prisma.trainingRun.count()).toBe(0);
});

const start = (input: Record<string, unknown>) => gql(t, START_RUN, { input: { datasetId, targetColumn: 'y', modelName: 'm', spec: SPEC, ...input } });

it('refuses 100,000 bucket boundaries', async () => {
  const boundaries = Array.from({ length: 100_000 }, (_, i) => i);
  const r = await start({ spec: { ...SPEC, preprocessing: { steps: [{ op: 'BUCKETIZE', columns: ['x'], boundaries }] } } });
  expect(codeOf(r)).toBe('BAD_USER_INPUT');
  expect(r.errors![0].message).toBe('spec.preprocessing.steps[0].boundaries has 100000 entries; at most 1000');
});

it('refuses 20,000 feature columns', async () => {
  const r = await start({ featureColumns: Array.from({ length: 20_000 }, () => 'x') });
  expect(codeOf(r)).toBe('BAD_USER_INPUT');
  expect(r.errors![0].message).toBe('featureColumns has 20000 entries; at most 10000');
});

it('refuses 5,000 missing-value codes at upload', async () => {
  const r = await gql(t, 'mutation($csv: String!, $mv: [MissingValuesInput!]) { uploadDataset(name: "mv", csv: $csv, missingValues: $mv) { id } }', {
    csv: CSV,
    mv: [{ column: 'x', values: Array.from({ length: 5000 }, (_, i) => String(i)) }],
  });
  expect(codeOf(r)).toBe('BAD_USER_INPUT');
  expect(r.errors![0].message).toBe('missingValues[0].values has 5000 entries; at most 1000');
  expect(await app.db.prisma.dataset.count()).toBe(1);
});
