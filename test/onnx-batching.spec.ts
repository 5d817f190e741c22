/**
 * Micro-batching of uploaded ONNX models whose batch dimension is dynamic (issue 12): concurrent
 * single-row calls on the same version are joined into one session run, and each caller gets
 * exactly its own rows' answers — the Titanic pipeline (mixed BYTES/INT64/FP32 inputs) and rf_iris
 * through V2 REST and GraphQL `infer` at once, and the batcher itself on the real loaded model
 * (requests submitted in one event-loop turn: exactly one run).
 */
import type { App } from '../src/app';
import { gql } from '../src/client/graphql-client';
import { INFER_TENSORS_METHOD, type NamedTensor } from '../src/ml/tensor-io';
import { batchable, TensorBatcher } from '../src/modules/serving/tensor-batcher';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { titanicTensors as columns, uploadModelOk } from './support/onnx-uploads';
import { v2 } from './support/v2';

let app: App;
let a: TenantBundle;

/** 20 Titanic passengers: every class, both sexes, ages 2-78, fares 7-260, the three ports. */
const PASSENGERS = Array.from({ length: 20 }, (_, i) => ({
  pclass: 1 + (i % 3),
  sex: i % 2 ? 'male' : 'female',
  age: 2 + i * 4,
  fare: [211.3, 7.9, 26, 71.3, 13, 8.05, 260][i % 7]!,
  embarked: ['S', 'C', 'Q'][i % 3]!,
}));
const IRIS = [
  [5.1, 3.5, 1.4, 0.2],
  [5.9, 3.0, 4.2, 1.5],
  [6.3, 3.3, 6.0, 2.5],
  [4.9, 3.0, 1.4, 0.2],
  [6.4, 3.2, 4.5, 1.5],
  [7.7, 3.8, 6.7, 2.2],
];

/** Session runs so far (the count of maas_predict_batch_rows, which the batcher observes per run). */
const batchRuns = async () => {
  const text = await (await fetch(a.url.replace('/graphql', '/metrics'))).text();
  return Number(/^maas_predict_batch_rows_count(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
};

beforeAll(async () => {
  // Requests over HTTP reach the batcher after their own database work (credential, quota): give
  // them 20 ms to meet (BATCH_MAX_WAIT_MS; the answers are checked whatever the batches were).
  app = await startTestApp({ BATCH_MAX_WAIT_MS: '20' });
  a = await createTenant(app, 'onnx-batch');
  await uploadModelOk(a, 'titanic', 'pipeline_titanic_nozipmap.onnx');
  await uploadModelOk(a, 'iris', 'rf_iris.onnx');
}, 60_000);
afterAll(() => app.stop());

it('concurrent single-row Titanic calls over REST and GraphQL each get exactly their own row’s answer', async () => {
  // The whole batch in one call is the reference.
  const all = await v2(a.url, '/v2/models/titanic/infer', { token: a.token, body: { inputs: columns(PASSENGERS) } });
  expect(all.status).toBe(200);
  const [labels, probabilities] = all.body.outputs as { data: number[] }[];
  expect(new Set(labels!.data)).toEqual(new Set([0, 1])); // both outcomes among them
  const before = await batchRuns();
  const answers = await Promise.all(
    PASSENGERS.map(async (p, i) => {
      if (i % 2) {
        const r = await v2(a.url, '/v2/models/titanic/infer', { token: a.token, body: { id: `p${i}`, inputs: columns([p]) } });
        expect(r.status).toBe(200);
        expect(r.body.id).toBe(`p${i}`);
        return r.body.outputs as { name: string; shape: number[]; data: number[] }[];
      }
      const g = await gql(a, 'query($inputs: [InferTensorInput!]!) { infer(model: "titanic", inputs: $inputs) { outputs { name shape data } } }', {
        inputs: columns([p]),
      });
      if (g.errors) throw new Error(JSON.stringify(g.errors));
      return g.data!.infer.outputs as { name: string; shape: number[]; data: number[] }[];
    }),
  );
  // Labels exact; probabilities to float32 precision (a batch of 20 may round its last bit otherwise).
  answers.forEach((out, i) => {
    expect(out.map((t) => [t.name, t.shape])).toEqual([
      ['label', [1]],
      ['probabilities', [1, 2]],
    ]);
    expect(out[0]!.data).toEqual([labels!.data[i]]);
    out[1]!.data.forEach((p, k) => expect(p).toBeCloseTo(probabilities!.data[2 * i + k]!, 6));
  });
  const after = await batchRuns();
  console.log(`Titanic: 20 concurrent single-row calls ran in ${after - before} session runs`);
  expect(after - before).toBeGreaterThan(0);
  expect(after - before).toBeLessThanOrEqual(20);
}, 60_000);

it('the batcher on the real loaded models: one turn’s requests make one session run, each gets its rows', async () => {
  const { served } = await app.services.predict.load(a.tenantId, 'titanic', {});
  let runs = 0;
  const run = (i: NamedTensor[], o: string[] | undefined) => {
    runs++;
    return served.query(INFER_TENSORS_METHOD, [i, o]) as Promise<NamedTensor[]>;
  };
  const specs = (await served.query('tensorSpecs', [])) as { inputs: never[]; outputs: never[] };
  expect(batchable(specs)).toBe(true);
  const batcher = new TensorBatcher(run, specs, { maxRows: 64 });
  const alone = await run(columns(PASSENGERS), undefined);
  runs = 0;
  // Requests of 1, 2 and 3 rows, submitted in one event-loop turn.
  const parts = [PASSENGERS.slice(0, 1), PASSENGERS.slice(1, 3), PASSENGERS.slice(3, 6)];
  const outs = await Promise.all(parts.map((rows) => batcher.submit(columns(rows), ['probabilities'], rows.length)));
  expect(runs).toBe(1);
  const p = Array.from(alone[1]!.data as Float32Array);
  expect(outs.map((o) => [o[0]!.shape, Array.from(o[0]!.data as Float32Array)])).toEqual([
    [[1, 2], p.slice(0, 2)],
    [[2, 2], p.slice(2, 6)],
    [[3, 2], p.slice(6, 12)],
  ]);
  // A request the runtime refuses inside a batch (sex as a number is caught earlier; here a batch
  // of 2 rows claiming 1) fails alone after the batch is retried request by request.
  runs = 0;
  const good = batcher.submit(columns(PASSENGERS.slice(0, 1)), undefined, 1);
  const bad = columns(PASSENGERS.slice(0, 2)).map((t) => (t.name === 'age' ? { ...t, shape: [1, 1], data: [30] } : t));
  const refused = batcher.submit(bad, undefined, 2);
  await expect(refused).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  expect((await good)[0]).toEqual(alone[0] && { ...alone[0], shape: [1], data: [(alone[0].data as number[])[0]] });
  expect(runs).toBe(3);
  // rf_iris: each of 6 concurrent rows gets its own class.
  const iris = await Promise.all(
    IRIS.map((row) => v2(a.url, '/v2/models/iris/infer', { token: a.token, body: { inputs: [{ name: 'float_input', datatype: 'FP32', shape: [1, 4], data: row }] } })),
  );
  expect(iris.map((r) => r.body.outputs[0].data[0])).toEqual([0, 1, 2, 0, 1, 2]);
}, 60_000);
