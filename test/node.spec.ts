/**
 * Global object identification: node(id:) and nodes(ids:) answer each Node type (Dataset,
 * TrainingRun, Model, ModelVersion, BatchPrediction, ModelEvaluation, Sweep) of the caller's tenant by its
 * unchanged UUID; null for an unknown id, another tenant's id, a malformed id and a type the key's
 * scopes do not read — all alike; nodes() keeps the order of ids and refuses more than 100.
 */
import type { App } from '../src/app';
import { codeOf, collect, gql, gqlOk, wsClient } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { withStatements } from './support/sql-count';
import { startRun, waitForRun } from './support/training';

const NODE = `query($id: ID!) { node(id: $id) { __typename id
  ... on Dataset { name }
  ... on TrainingRun { modelName status }
  ... on Model { name }
  ... on ModelVersion { version modelName }
  ... on BatchPrediction { status }
  ... on ModelEvaluation { modelVersionId }
  ... on Sweep { modelName status }
} }`;
const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }';

let app: App;
let a: TenantBundle;
let b: TenantBundle;
let ids: Record<string, string>;
let versionId: string;

beforeAll(async () => {
  app = await startTestApp();
  a = await createTenant(app, 'node-a');
  b = await createTenant(app, 'node-b');
  const datasetId = await uploadCsv(a, PIMA_CSV, 'node-set');
  const run = await startRun(a, datasetId, 'node-model', { ...KERAS_SPEC, epochs: 1 });
  const final = await waitForRun(a, run.id);
  versionId = final.modelVersion.id;
  const more = await gqlOk(
    a,
    `mutation($d: ID!, $v: ID!) { startBatchPrediction(model: "node-model", datasetId: $d) { id }
      evaluateModelVersion(versionId: $v, datasetId: $d) { id } }`,
    { d: datasetId, v: versionId },
  );
  // Both jobs run to their end here, so none is left running when the app stops.
  const ws = wsClient(a.wsUrl, a.token);
  await collect(ws, 'subscription($id: ID!) { batchPredictionProgress(id: $id) { status } }', { id: more.startBatchPrediction.id }).done;
  await collect(ws, 'subscription($id: ID!) { modelEvaluationProgress(id: $id) { status } }', { id: more.evaluateModelVersion.id }).done;
  await ws.dispose();
  const model = await gqlOk(a, '{ model(name: "node-model") { id } }');
  // A sweep, cancelled at once: nothing of it trains while the app stops.
  const sweep = await gqlOk(
    a,
    `mutation($d: ID!) { startSweep(input: { datasetId: $d, targetColumn: "Outcome", modelName: "node-sweep", baseSpec: { model: "DECISION_TREE" },
      strategy: GRID, space: [{ path: "tree.maxDepth", values: [2, 3] }], objective: { metric: ACCURACY, direction: MAXIMIZE }, budget: { maxTrials: 2, maxConcurrent: 1 } }) { id } }`,
    { d: datasetId },
  );
  await gqlOk(a, 'mutation($id: ID!) { cancelSweep(id: $id) { id } }', { id: sweep.startSweep.id });
  await queueSettled(a.tenantId);
  ids = {
    Dataset: datasetId,
    TrainingRun: run.id,
    Model: model.model.id,
    ModelVersion: versionId,
    BatchPrediction: more.startBatchPrediction.id,
    ModelEvaluation: more.evaluateModelVersion.id,
    Sweep: sweep.startSweep.id,
  };
});
afterAll(() => app?.stop());

/**
 * Waits (polling the queue's table, 30 s at most) until the tenant has no sweep pass or training
 * ticket left to run: the cancelled sweep's last poll and its trials' tickets would otherwise send
 * statements while the statement-count test below measures.
 */
async function queueSettled(tenantId: string): Promise<void> {
  const pending = async () =>
    (
      await app.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE (name LIKE 'sweep-advance.v%' OR name LIKE 'training-run.v%') AND state IN ('created', 'retry', 'active') AND data->>'tenantId' = $1`,
        [tenantId],
      )
    ).rows[0].n;
  const deadline = Date.now() + 30_000;
  while ((await pending()) > 0) {
    if (Date.now() > deadline) throw new Error('the queue still has jobs of the tenant after 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const nodeOf = async (t: TenantBundle | { url: string; token: string }, id: string) => (await gqlOk(t, NODE, { id })).node;

it('finds each Node type by its unchanged id, with its typename and fields', async () => {
  const found: Record<string, Record<string, any>> = Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, await nodeOf(a, id)])));
  expect(Object.fromEntries(Object.entries(found).map(([k, n]) => [k, [n.__typename, n.id]]))).toEqual(Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, [k, id]])));
  expect(found.Dataset.name).toBe('node-set');
  expect([found.TrainingRun.modelName, found.TrainingRun.status]).toEqual(['node-model', 'SUCCEEDED']);
  expect(found.Model.name).toBe('node-model');
  expect([found.ModelVersion.version, found.ModelVersion.modelName]).toEqual([1, 'node-model']);
  expect(found.BatchPrediction.status).toBe('SUCCEEDED');
  expect(found.ModelEvaluation.modelVersionId).toBe(versionId);
  expect([found.Sweep.modelName, found.Sweep.status]).toEqual(['node-sweep', 'CANCELLED']);
});

it("names every Node type it resolves, Sweep included, in node's description and the schema's implementations", async () => {
  const schema = await gqlOk(a, '{ __schema { queryType { fields { name description } } } __type(name: "Node") { possibleTypes { name } } }');
  const node = schema.__schema.queryType.fields.find((f: { name: string }) => f.name === 'node');
  const types = schema.__type.possibleTypes.map((t: { name: string }) => t.name).sort();
  expect(types).toEqual(Object.keys(ids).sort());
  expect(node.description).toMatch(
    /^Any of your tenant's objects by its id \(Relay Global Object Identification\): a Dataset, TrainingRun, Model, ModelVersion, BatchPrediction, ModelEvaluation or Sweep\. /,
  );
  expect(node.description).toContain('(datasets:read, training:read, models:read, predict)');
});

it('answers a Relay-style fragment query', async () => {
  const data = await gqlOk(a, 'query($id: ID!) { node(id: $id) { id ... on Dataset { name } } }', { id: ids.Dataset });
  expect(data).toEqual({ node: { id: ids.Dataset, name: 'node-set' } });
});

it("answers null for another tenant's id exactly as for an unknown or malformed one", async () => {
  const answers = [];
  for (const id of [...Object.values(ids), '00000000-0000-4000-8000-000000000000', 'not-a-uuid', "x' OR 1=1 --"]) answers.push(await gql(b, NODE, { id }));
  expect(answers).toEqual(answers.map(() => ({ data: { node: null } })));
  expect(await gql(b, NODES, { ids: Object.values(ids) })).toEqual({ data: { nodes: Object.values(ids).map(() => null) } });
});

it('keeps the order of ids in nodes(), null where not found', async () => {
  const order = [ids.ModelEvaluation, 'unknown', ids.Dataset, ids.Model, ids.Dataset, ids.TrainingRun];
  const data = await gqlOk(a, NODES, { ids: order });
  expect(data.nodes).toEqual([
    { __typename: 'ModelEvaluation', id: ids.ModelEvaluation },
    null,
    { __typename: 'Dataset', id: ids.Dataset },
    { __typename: 'Model', id: ids.Model },
    { __typename: 'Dataset', id: ids.Dataset },
    { __typename: 'TrainingRun', id: ids.TrainingRun },
  ]);
  expect((await gqlOk(a, NODES, { ids: [] })).nodes).toEqual([]);
  // Ids that are not UUIDs are null without a database round trip (hostile review: 100 ids of 100k characters were slow).
  const long = Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(20_000, 'x'));
  expect((await gqlOk(a, NODES, { ids: [...long, ids.Dataset] })).nodes).toEqual([...long.map(() => null), { __typename: 'Dataset', id: ids.Dataset }]);
});

it('reads nodes() in as many SQL statements for 98 ids as for 7: one batch per type (DataLoader), no N+1', async () => {
  const seven = Object.values(ids);
  await gqlOk(a, NODES, { ids: seven }); // warm: the API key is cached after its first use
  const few = await withStatements(app, () => gqlOk(a, NODES, { ids: seven }));
  const many = await withStatements(app, () => gqlOk(a, NODES, { ids: Array.from({ length: 14 }, () => seven).flat() }));
  expect(many.result.nodes).toHaveLength(98);
  expect(many.result.nodes.slice(91)).toEqual(few.result.nodes);
  // The statements that read the node types' tables (not the credential, limits or queue reads a
  // loaded machine can land in either window when a per-process cache expires).
  const ofNodes = (statements: string[]) => statements.filter((q) => Object.keys(ids).some((type) => q.includes(`"public"."${type}"`)));
  expect(ofNodes(few.statements).length).toBeGreaterThan(0);
  expect(ofNodes(many.statements).length).toBe(ofNodes(few.statements).length);
});

it('refuses more than 100 ids with BAD_USER_INPUT naming the field', async () => {
  const r = await gql(a, NODES, { ids: Array.from({ length: 101 }, (_, i) => `id-${i}`) });
  expect([codeOf(r), r.errors?.[0].message]).toEqual(['BAD_USER_INPUT', 'ids: at most 100 ids, got 101']);
});

it("answers null for an object whose type's read scope the key lacks, the object otherwise", async () => {
  const key = (await gqlOk(a, 'mutation { createApiKey(input: { name: "datasets-only", scopes: [DATASETS_READ] }) { key } }')).createApiKey.key;
  const caller = { url: a.url, token: key };
  const data = await gqlOk(caller, NODES, { ids: Object.values(ids) });
  expect(data.nodes).toEqual([{ __typename: 'Dataset', id: ids.Dataset }, null, null, null, null, null, null]);
  expect(await gql({ url: a.url, token: undefined }, NODES, { ids: [ids.Dataset] })).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
});
