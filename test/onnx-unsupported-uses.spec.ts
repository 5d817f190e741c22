/**
 * What an uploaded ONNX version cannot do is refused up front, with the reason: batch prediction
 * (the family's `supports.batchPredict`) before anything is stored, reproduce (not trained here).
 */
import type { App } from '../src/app';
import { gql, type GqlResult } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { graphModel } from './support/onnx-proto';
import { uploadModel } from './support/onnx-uploads';

let app: App;
let a: TenantBundle;

const errorOf = (r: GqlResult) => ({ code: r.errors?.[0]?.extensions?.code, message: r.errors?.[0]?.message ?? '' });
const identity = () => graphModel([{ op: 'Identity', inputs: ['x'], outputs: ['y'] }], [{ name: 'x', dims: [1, 1] }], [{ name: 'y', dims: [1, 1] }]);

/** Uploads an identity model as version 1 of `model`. @returns the version's id. */
async function uploadOk(model: string): Promise<string> {
  const r = await uploadModel(a, model, `${model}.onnx`, identity());
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.uploadModelVersion.id as string;
}

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  a = await createTenant(app, 'onnx-uses');
}, 60_000);
afterAll(() => app.stop());

it('startBatchPrediction on an ONNX version is refused NOT_SUPPORTED before anything is stored', async () => {
  await uploadOk('batchless');
  const datasetId = await uploadCsv(a, 'x\n1\n2\n', 'batch-data');
  const r = await gql(a, 'mutation($d: ID!) { startBatchPrediction(model: "batchless", datasetId: $d) { id status } }', { d: datasetId });
  expect(errorOf(r)).toEqual({ code: 'NOT_SUPPORTED', message: 'ONNX models do not support batch prediction' });
  const list = await gql(a, '{ batchPredictionsConnection(first: 5) { totalCount } }');
  expect(list.data?.batchPredictionsConnection?.totalCount ?? list.errors).toBe(0);
});

it('reproduce on an uploaded version says it was uploaded, not trained here (NOT_SUPPORTED)', async () => {
  const id = await uploadOk('uploaded');
  const r = await gql(a, 'mutation($id: ID!) { reproduce(versionId: $id) { id } }', { id });
  expect(errorOf(r)).toEqual({ code: 'NOT_SUPPORTED', message: "Version 1 of model 'uploaded' was uploaded, not trained here: there is no training run to reproduce" });
});
