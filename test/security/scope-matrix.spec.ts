/**
 * The scope matrix, generated from the schema (as the cross-tenant probe is): every root query,
 * mutation and subscription, and every REST route, called by a key holding exactly one scope.
 * A field whose @Authorized scopes the key lacks answers FORBIDDEN naming the first missing scope;
 * any other field answers without FORBIDDEN or UNAUTHENTICATED. Nested objects obey their own
 * type's read scope: an object whose type a root query guards with scope S (ModelVersion:
 * models:read, Dataset: datasets:read, ...) never reaches a key without S, nested in another
 * answer. The README's Security model table states the same matrix.
 */
import { getNamedType, isAbstractType, isObjectType } from 'graphql';
import type { App } from '../../src/app';
import { codeOf, collect, gql, gqlOk, wsClient } from '../../src/client/graphql-client';
import { createSchema, PUBLIC_FIELDS } from '../../src/graphql/schema';
import { SCOPES, type Scope } from '../../src/modules/auth/actor';
import { scopeName } from '../../src/modules/scope-names';
import { startTestApp } from '../support/app';
import { KERAS_SPEC, PIMA_CSV } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { callProbe, probeCalls, requiredScopes, type ProbeCall } from '../support/schema-probe';
import { EXPLAIN_RECOMMENDATION, RECOMMENDATIONS } from '../support/recommend';
import { startRun, trainVersion, waitForRun } from '../support/training';
import { guardedV2Calls, PUBLIC_V2_ROUTES, v2 } from '../support/v2';

let app: App;
let t: TenantBundle;
let calls: ProbeCall[];
/** Object type -> the scope a root query needs to return it. */
let owner: Map<string, string>;
/** Root fields (`Query.node`) whose type is an interface or union: the objects they return are checked as nested ones. */
const abstractRoots = new Set<string>();
let batchPath: string;
const keys = new Map<Scope, string>();

/**
 * Ratings of a recommender ('films', trained on every row: testFraction 0): user a rated i1..i4
 * (mean 3: liked i1 and i3), not i5.
 */
const RATINGS_CSV = [
  'user,item,rating',
  ...['a,i1,5', 'a,i2,1', 'a,i3,4', 'a,i4,2'],
  ...['b,i1,4', 'b,i2,2', 'b,i3,5', 'b,i4,1', 'b,i5,4'],
  ...['c,i1,1', 'c,i2,5', 'c,i3,2', 'c,i4,4', 'c,i5,2'],
].join('\n');

/**
 * A regression ('heights', a decision tree) whose target cells are all different, and a file it is
 * evaluated on: `testPredictions.actual` holds those cells (review F9), read only with datasets:read.
 */
const HEIGHTS_CSV = ['x,height', ...Array.from({ length: 40 }, (_, i) => `${i},${100 + 2 * i + (i % 3) / 4}`)].join('\n');
const HEIGHTS_EVAL = ['x,height', '1,101.5', '7,115.25', '12,123.75', '20,141', '33,166.5', '39,178.25'].join('\n');
const heightOf = (csv: string) =>
  csv
    .split('\n')
    .slice(1)
    .map((l) => Number(l.split(',')[1]));
let heights: { versionId: string; testRowIndexes: number[]; evaluationId: string };
/** A key with models:read and datasets:read: reads the cells, as ADMIN does. */
let modelsAndDataKey: string;
const TEST_PREDICTIONS = `query($id: ID!, $evaluation: ID!) {
  modelVersion(id: $id) {
    metrics { testPredictions { actual predicted } }
    lineage { testMetrics { testPredictions { actual predicted } } }
    evaluations { metrics { testPredictions { actual predicted } } }
  }
  node(id: $id) { ... on ModelVersion { metrics { testPredictions { actual predicted } } } }
  modelEvaluation(id: $evaluation) { metrics { testPredictions { actual predicted } } }
}`;

/** The model export routes (latest version, and a version by number). */
const EXPORT_PATHS = ['/models/scoped/export?format=onnx', '/models/scoped/versions/1/export?format=tfjs'];
const holds = (scope: Scope, needed: string) => scope === 'admin' || scope === needed;

const call = (c: ProbeCall, token: string) => callProbe(app.server, c, token);

/** Typenames of the objects nested (depth >= 1) in a root field's answer. */
function nestedTypes(value: unknown, depth = 0, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => nestedTypes(v, depth, out));
  else if (value && typeof value === 'object') {
    const typename = (value as { __typename?: string }).__typename;
    if (typename && depth > 0) out.add(typename);
    for (const [k, v] of Object.entries(value)) if (k !== '__typename') nestedTypes(v, depth + 1, out);
  }
  return out;
}

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'scopes');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const run = await startRun(t, datasetId, 'scoped', { ...KERAS_SPEC, epochs: 1 });
  const final = await waitForRun(t, run.id);
  for (const scope of SCOPES) {
    const gqlName = scope.replace(':', '_').toUpperCase();
    keys.set(scope, (await gqlOk(t, `mutation { createApiKey(input: { name: "only-${scope}", scopes: [${gqlName}] }) { key } }`)).createApiKey.key);
  }
  const ratingsId = await uploadCsv(t, RATINGS_CSV, 'ratings');
  await trainVersion(t, {
    datasetId: ratingsId,
    targetColumn: 'rating',
    modelName: 'films',
    spec: { model: 'MATRIX_FACTORIZATION', testFraction: 0, epochs: 5, matrixFactorization: { userColumn: 'user', itemColumn: 'item', factors: 4 } },
  });
  const heightsId = await uploadCsv(t, HEIGHTS_CSV, 'heights');
  const tree = await trainVersion(t, { datasetId: heightsId, targetColumn: 'height', modelName: 'heights', spec: { model: 'DECISION_TREE', testFraction: 0.25, seed: 7 } });
  const evaluation = await gqlOk(t, 'mutation($v: ID!, $d: ID!) { evaluateModelVersion(versionId: $v, datasetId: $d) { id } }', {
    v: tree.id,
    d: await uploadCsv(t, HEIGHTS_EVAL, 'heights-eval'),
  });
  const evaluationId = evaluation.evaluateModelVersion.id as string;
  const evalWs = wsClient(app.server.wsUrl, t.token);
  await collect(evalWs, 'subscription($id: ID!) { modelEvaluationProgress(id: $id) { status } }', { id: evaluationId }).done;
  await evalWs.dispose();
  const lineage = await gqlOk(t, 'query($id: ID!) { modelVersion(id: $id) { lineage { split { testRowIndexes } } } }', { id: tree.id });
  heights = { versionId: tree.id, testRowIndexes: lineage.modelVersion.lineage.split.testRowIndexes, evaluationId };
  modelsAndDataKey = (await gqlOk(t, 'mutation { createApiKey(input: { name: "models-and-data", scopes: [MODELS_READ, DATASETS_READ] }) { key } }')).createApiKey.key;
  const batch = (await gqlOk(t, 'mutation($d: ID!) { startBatchPrediction(model: "scoped", datasetId: $d) { id } }', { d: datasetId })).startBatchPrediction;
  const ws = wsClient(app.server.wsUrl, t.token);
  await collect(ws, 'subscription($id: ID!) { batchPredictionProgress(id: $id) { status } }', { id: batch.id }).done;
  await ws.dispose();
  batchPath = `/batch-predictions/${batch.id}.csv`;
  const schema = await createSchema();
  // Reads name the real resources; mutations name none (the scope is checked before the lookup:
  // FORBIDDEN, else NOT_FOUND), so a permitted delete cannot empty the tenant for later reads.
  const reads = probeCalls(schema, { ids: [datasetId, run.id, final.modelVersion.id], modelName: 'scoped', datasetId }).filter((c) => c.root !== 'Mutation');
  const writes = probeCalls(schema, { ids: ['no-such-id'], modelName: 'no-such-model', datasetId: 'no-such-id' }).filter((c) => c.root === 'Mutation');
  calls = [...reads, ...writes];
  owner = new Map();
  const query = schema.getQueryType()!;
  for (const f of Object.values(query.getFields())) {
    const scopes = requiredScopes('Query', f.name);
    const named = getNamedType(f.type);
    if (scopes?.length && isObjectType(named)) owner.set(named.name, scopes[0]);
    if (isAbstractType(named)) abstractRoots.add(`Query.${f.name}`);
  }
});
afterAll(() => app.stop());

it('knows the owner of every guarded type it checks', () => {
  expect(Object.fromEntries(owner)).toMatchObject({
    Dataset: 'datasets:read',
    ModelVersion: 'models:read',
    Model: 'models:read',
    TrainingRun: 'training:read',
    BatchPrediction: 'predict',
  });
});

describe.each(SCOPES.map((s) => [s]))('a key with only %s', (scope) => {
  it('gets exactly the root fields its scope allows, FORBIDDEN (naming the scope) elsewhere, and no nested object of another scope', async () => {
    const token = keys.get(scope)!;
    const problems: string[] = [];
    for (const c of calls) {
      const name = `${c.root}.${c.field}`;
      if (PUBLIC_FIELDS.includes(name)) continue;
      const needed = requiredScopes(c.root, c.field);
      if (needed === undefined) {
        problems.push(`${name} has no @Authorized`);
        continue;
      }
      const missing = needed.find((s) => !holds(scope, s));
      const r = await call(c, token);
      const rootErrors = (r.errors ?? []) as { message: string; path?: unknown[]; extensions?: { code?: string } }[];
      if (missing) {
        if (codeOf(r) !== 'FORBIDDEN' || r.errors![0].message !== `This credential lacks the ${scopeName(missing as Scope)} scope` || r.data?.[c.field])
          problems.push(`${name}: expected FORBIDDEN for '${missing}', got ${codeOf(r) ?? 'data'} ${r.errors?.[0]?.message ?? ''}`);
        continue;
      }
      for (const e of rootErrors) {
        const code = e.extensions?.code;
        const nested = (e.path?.length ?? 0) > 1;
        if (code === 'UNAUTHENTICATED' || code === 'INTERNAL_SERVER_ERROR' || (code === 'FORBIDDEN' && !nested)) problems.push(`${name}: ${code} ${e.message}`);
        if (code === 'FORBIDDEN' && nested && holds(scope, /'(.*)'/.exec(e.message)?.[1] ?? '')) problems.push(`${name}: nested FORBIDDEN for a held scope: ${e.message}`);
      }
      // A root field returning an interface (node, nodes) is checked at its own level too.
      for (const type of nestedTypes(r.data?.[c.field], abstractRoots.has(name) ? 1 : 0)) {
        const needs = owner.get(type);
        if (needs && !holds(scope, needs)) problems.push(`${name}: returned a nested ${type}, which needs '${needs}'`);
      }
    }
    expect(problems).toEqual([]);
  });

  // Review F1: a PREDICT key learns which items a user rated (README, Security model), never their
  // ratings: not shown, and choosing and ordering nothing in an explanation.
  it("reads a recommender's rated items only as its scopes allow: which items with predict, their ratings with datasets:read too", async () => {
    const caller = { ...t, token: keys.get(scope)! };
    const recommend = (excludeRated: boolean) => gql(caller, RECOMMENDATIONS, { model: 'films', userId: 'a', k: 5, excludeRated });
    const explain = await gql(caller, EXPLAIN_RECOMMENDATION, { model: 'films', userId: 'a', itemId: 'i5', k: 10 });
    if (!holds(scope, 'predict')) {
      for (const r of [await recommend(true), explain]) expect([codeOf(r), r.errors?.[0].message]).toEqual(['FORBIDDEN', 'This credential lacks the PREDICT scope']);
      return;
    }
    const itemsOf = async (excludeRated: boolean) => ((await recommend(excludeRated)).data!.recommendations.items as { itemId: string }[]).map((i) => i.itemId).sort();
    expect([await itemsOf(false), await itemsOf(true)]).toEqual([['i1', 'i2', 'i3', 'i4', 'i5'], ['i5']]);
    const got = (explain.data!.explainRecommendation.contributions as { itemId: string; rating: number | null; similarity: number; contribution: number | null }[]).map(
      ({ itemId, rating, similarity, contribution }) => ({ itemId, rating, similarity, contribution }),
    );
    if (holds(scope, 'datasets:read')) {
      // The liked items (above a's mean 3) with their ratings, largest contribution first.
      expect(got.map((c) => [c.itemId, c.rating]).sort()).toEqual([
        ['i1', 5],
        ['i3', 4],
      ]);
      expect(got.map((c) => c.contribution)).toEqual(got.map((c) => c.similarity * (c.rating! - 3)).sort((x, y) => y - x));
    } else {
      // Every item a rated, most similar first (ties by item id), no rating-derived field.
      expect(got.map((c) => c.itemId).sort()).toEqual(['i1', 'i2', 'i3', 'i4']);
      expect(got).toEqual([...got].sort((x, y) => y.similarity - x.similarity || (x.itemId < y.itemId ? -1 : 1)));
      expect(got.map((c) => [c.rating, c.contribution])).toEqual(Array(4).fill([null, null]));
    }
  });

  // Review F9: a regressor's test sample pairs each prediction with the row's stored target cell.
  it("reads a regressor's test targets (testPredictions.actual) only with datasets:read; the predictions with models:read", async () => {
    const r = await gql({ ...t, token: keys.get(scope)! }, TEST_PREDICTIONS, { id: heights.versionId, evaluation: heights.evaluationId });
    if (!holds(scope, 'models:read')) {
      expect([codeOf(r), r.errors?.[0].message]).toEqual(['FORBIDDEN', 'This credential lacks the MODELS_READ scope']);
      return;
    }
    expect(r.errors).toBeUndefined();
    const full = (await gqlOk({ ...t, token: modelsAndDataKey }, TEST_PREDICTIONS, { id: heights.versionId, evaluation: heights.evaluationId })) as Record<string, any>;
    type Row = { actual: number | null; predicted: number };
    const version: Row[] = full.modelVersion.metrics.testPredictions;
    const evaluated: Row[] = full.modelEvaluation.metrics.testPredictions;
    // With datasets:read: exactly the target cells of the test rows (10 of 40), and of every evaluated row.
    const cells = heightOf(HEIGHTS_CSV);
    expect(heights.testRowIndexes).toHaveLength(10);
    expect(version.map((p) => p.actual).sort((a, b) => a! - b!)).toEqual(heights.testRowIndexes.map((i) => cells[i]).sort((a, b) => a - b));
    expect(evaluated.map((p) => p.actual).sort((a, b) => a! - b!)).toEqual(heightOf(HEIGHTS_EVAL));
    for (const rows of [version, evaluated]) expect(rows.every((p) => Number.isFinite(p.predicted))).toBe(true);
    const expected = (rows: Row[]) => (holds(scope, 'datasets:read') ? rows : rows.map((p) => ({ actual: null, predicted: p.predicted })));
    expect(r.data).toEqual({
      modelVersion: {
        metrics: { testPredictions: expected(version) },
        lineage: { testMetrics: { testPredictions: expected(version) } },
        evaluations: [{ metrics: { testPredictions: expected(evaluated) } }],
      },
      node: { metrics: { testPredictions: expected(version) } },
      modelEvaluation: { metrics: { testPredictions: expected(evaluated) } },
    });
  });

  it('gets the REST routes its scope allows', async () => {
    const base = app.server.url.replace('/graphql', '');
    const res = await fetch(base + batchPath, { headers: { authorization: `Bearer ${keys.get(scope)}` } });
    const text = await res.text();
    if (!holds(scope, 'predict')) {
      expect([res.status, text]).toEqual([403, JSON.stringify({ errors: [{ message: 'This credential lacks the PREDICT scope', extensions: { code: 'FORBIDDEN' } }] })]);
    } else if (holds(scope, 'datasets:read')) {
      expect([res.status, text.split('\n')[0]]).toEqual([
        200,
        '"Pregnancies","Glucose","BloodPressure","SkinThickness","Insulin","BMI","DiabetesPedigreeFunction","Age","Outcome","predicted_label","predicted_probability"',
      ]);
    } else {
      expect([res.status, text.split('\n')[0]]).toEqual([200, '"row","predicted_label","predicted_probability"']);
      expect(text.split('\n')[1]).toMatch(/^1,"[^"]+",[\d.e-]+$/);
    }
  });

  it('downloads a model export only with models:read (403 naming the scope otherwise)', async () => {
    const base = app.server.url.replace('/graphql', '');
    for (const path of EXPORT_PATHS) {
      const res = await fetch(base + path, { headers: { authorization: `Bearer ${keys.get(scope)}` } });
      if (holds(scope, 'models:read')) expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 200, 'application/zip']);
      else
        expect([path, res.status, await res.json()]).toEqual([
          path,
          403,
          { errors: [{ message: 'This credential lacks the MODELS_READ scope', extensions: { code: 'FORBIDDEN' } }] },
        ]);
    }
  });

  it('gets the V2 model routes only with predict (403 naming the scope otherwise)', async () => {
    for (const c of guardedV2Calls('scoped')) {
      const r = await v2(app.server.url, c.path, { token: keys.get(scope), body: c.body });
      if (holds(scope, 'predict')) expect([c.route, r.status]).toEqual([c.route, 200]);
      else expect([c.route, r.status, r.body]).toEqual([c.route, 403, { error: 'This credential lacks the PREDICT scope', code: 'FORBIDDEN' }]);
    }
  });
});

it('covers every REST route: each is public or listed here with its scope', () => {
  // predict; the dataset's cells only with datasets:read. The V2 model routes: predict. Exports: models:read.
  const guarded = ['GET /batch-predictions/:id.csv', 'GET /models/:name/export', 'GET /models/:name/versions/:version/export', ...guardedV2Calls('scoped').map((c) => c.route)];
  // No tenant data (see README: /metrics); the console's page is static HTML (its data comes over /graphql); / lists paths.
  const open = ['GET /', 'GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /console', 'GET /console/', ...PUBLIC_V2_ROUTES];
  const mounted = app.server.routes.map((r) => `${r.method} ${r.path}`);
  expect(mounted.filter((r) => !guarded.includes(r) && !open.includes(r))).toEqual([]);
  expect(mounted).toEqual(expect.arrayContaining(guarded));
});
