/**
 * Scale-out on loopback: two API processes and two worker processes sharing one database.
 * A run started on API 1 is trained by one of the workers and streamed to a subscriber on API 2.
 */
import { collect, gqlOk, wsClient } from '../../src/client/graphql-client';
import { migrate } from '../../src/lib/migrate';
import { KERAS_SPEC, PIMA_CSV } from '../support/data';
import { truncateAll, workerDatabaseUrl } from '../support/database';
import { buildDist, startApi, startWorker, type Proc } from '../support/processes';
import { ADMIN_SECRET } from '../support/secrets';
import { PROGRESS, START_RUN } from '../support/training';

const url = workerDatabaseUrl();
const procs: Proc[] = [];

beforeAll(async () => {
  buildDist();
  await migrate(url);
  await truncateAll(url);
}, 120_000);
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
});

it('streams a run started on API 1, trained by a worker, to a subscriber on API 2', async () => {
  const [api1, api2, w1, w2] = await Promise.all([startApi(url), startApi(url), startWorker(url), startWorker(url)]);
  procs.push(api1, api2, w1, w2);

  const created = await gqlOk({ url: api1.url, headers: { 'x-admin-secret': ADMIN_SECRET } }, 'mutation { createTenant(name: "scale") { apiKey } }');
  const key = created.createTenant.apiKey;
  const datasetId = (await gqlOk({ url: api1.url, token: key }, 'mutation($csv: String!) { uploadDataset(name: "pima", csv: $csv) { id } }', { csv: PIMA_CSV })).uploadDataset.id;

  const run = await gqlOk({ url: api1.url, token: key }, START_RUN, { input: { datasetId, targetColumn: 'Outcome', modelName: 'scaled', spec: KERAS_SPEC } });
  const client = wsClient(api2.wsUrl, key);
  const events = await collect<{ trainingProgress: Record<string, any> }>(client, PROGRESS, { runId: run.startTrainingRun.id }).done;
  await client.dispose();

  const kinds = events.map((e) => e.data!.trainingProgress.kind);
  expect(kinds).toEqual([...Array(10).fill('EPOCH'), 'FINAL']);
  const final = events[10].data!.trainingProgress;
  expect(final.status).toBe('SUCCEEDED');
  expect(final.modelVersion.metrics.accuracy).toBeGreaterThanOrEqual(0.7);

  // Trained by exactly one of the two worker processes (the lease records which).
  const owner = (await gqlOk({ url: api2.url, token: key }, 'query($id: ID!) { trainingRun(id: $id) { workerId attempts } }', { id: run.startTrainingRun.id })).trainingRun;
  const pids = [w1.child.pid, w2.child.pid].map(String);
  expect(pids).toContain(owner.workerId.split(':')[1]);
  expect(owner.attempts).toBe(1);

  // Both API processes serve predictions from the new version.
  const row = { Pregnancies: 6, Glucose: 148, BloodPressure: 72, SkinThickness: 35, Insulin: 0, BMI: 33.6, DiabetesPedigreeFunction: 0.627, Age: 50 };
  const q = 'query($rows: [JSONObject!]!) { predict(model: "scaled", rows: $rows) { version predictions { probability } } }';
  const [p1, p2] = await Promise.all([gqlOk({ url: api1.url, token: key }, q, { rows: [row] }), gqlOk({ url: api2.url, token: key }, q, { rows: [row] })]);
  expect(p1.predict.predictions).toEqual(p2.predict.predictions);
}, 120_000);
