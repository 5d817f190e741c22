/**
 * Property tier for the V2 routes: hostile inference bodies (tensors generated from the schema's
 * InferTensorInput by test/support/hostile-values.ts, wrong-typed bodies, hostile outputs and ids)
 * and hostile model names and versions in the path, against a trained model. Every answer is 200
 * or a coded 4xx/503 in the protocol's shape, never a 500, and the next valid call still works.
 * Seeded, with a fixed number of runs.
 */
import fc from 'fast-check';
import type { GraphQLInputType } from 'graphql';
import type { App } from '../../src/app';
import { createSchema } from '../../src/graphql/schema';
import { startTestApp } from '../support/app';
import { KERAS_SPEC, PIMA_COLUMNS, PIMA_CSV, PIMA_ROWS } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { hostileValue } from '../support/hostile-values';
import { trainVersion } from '../support/training';
import { matrixTensor, v2 } from '../support/v2';

const SEED = Number(process.env.PROPERTY_SEED ?? 20261206);
const RUNS = 300;

let app: App;
let t: TenantBundle;
let tensor: fc.Arbitrary<unknown>;
const valid = { inputs: [matrixTensor(PIMA_ROWS.slice(0, 2), PIMA_COLUMNS.slice(0, 8))] };

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'v2-hostile');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'target', spec: { ...KERAS_SPEC, epochs: 1 } });
  tensor = hostileValue((await createSchema()).getType('InferTensorInput') as GraphQLInputType);
});
afterAll(() => app.stop());

it('answers hostile bodies and paths with coded client errors, never a 500', async () => {
  const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('..', '%', '%00', 'a b', 'x'.repeat(300), '1e400', '-1', '007'));
  const body = fc.oneof(
    fc.record({ inputs: fc.array(tensor, { maxLength: 3 }) }, { requiredKeys: [] }),
    fc.record({
      inputs: fc.constant(valid.inputs),
      outputs: fc.array(fc.record({ name: text }), { maxLength: 3 }),
      id: fc.oneof(text, fc.integer()),
      parameters: fc.jsonValue({ maxDepth: 3 }),
    }),
    fc.jsonValue({ maxDepth: 4 }),
  );
  const path = fc.oneof(
    fc.constant('/v2/models/target/infer'),
    text.map((v) => `/v2/models/target/versions/${encodeURIComponent(v)}/infer`),
    text.map((n) => `/v2/models/${encodeURIComponent(n) || 'x'}/infer`),
  );
  const problems: string[] = [];
  await fc.assert(
    fc.asyncProperty(path, body, async (p, b) => {
      const r = await v2(t.url, p, { token: t.token, body: b });
      const coded = r.status === 200 || ([400, 404, 413, 422, 429, 503].includes(r.status) && typeof r.body?.error === 'string' && typeof r.body?.code === 'string');
      if (!coded || r.body?.code === 'INTERNAL_SERVER_ERROR') problems.push(`${p} ${JSON.stringify(b).slice(0, 300)} -> ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      return true;
    }),
    { seed: SEED, numRuns: RUNS },
  );
  expect(problems).toEqual([]);
  expect((await v2(t.url, '/v2/models/target/infer', { token: t.token, body: valid })).status).toBe(200);
});
