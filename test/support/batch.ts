/** Batch predictions through the API: start one, wait for its final progress event, download its CSV. */
import { collect, gqlOk, wsClient } from '../../src/client/graphql-client';
import type { TenantBundle } from './factories';

/** Starts a batch prediction of `model` over the dataset and resolves with its download path once it SUCCEEDED. */
export async function runBatch(t: TenantBundle, model: string, datasetId: string): Promise<string> {
  const started = await gqlOk(t, 'mutation($m: String!, $d: ID!) { startBatchPrediction(model: $m, datasetId: $d) { id } }', { m: model, d: datasetId });
  const id = started.startBatchPrediction.id as string;
  const client = wsClient(t.wsUrl, t.token);
  try {
    await collect(client, 'subscription($id: ID!) { batchPredictionProgress(id: $id) { status } }', { id }).done;
  } finally {
    await client.dispose();
  }
  const done = (await gqlOk(t, 'query($id: ID!) { batchPrediction(id: $id) { status downloadPath failureMessage } }', { id })).batchPrediction;
  if (done.status !== 'SUCCEEDED') throw new Error(`batch ${id}: ${done.status} ${done.failureMessage}`);
  return done.downloadPath as string;
}

/** GETs a path of the API's origin with the tenant's key. */
export function download(t: TenantBundle, path: string): Promise<Response> {
  return fetch(t.url.replace(/\/graphql$/, '') + path, { headers: { authorization: `Bearer ${t.token}` } });
}
