/** Test data builders: unique names, bundles ready to call the API with. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../../src/app';
import { ADMIN_SECRET } from './app';
import { collect, gqlOk, wsClient, type Caller } from '../../src/client/graphql-client';
import { KERAS_SPEC } from '../../src/client/reference-job';

export const PIMA_CSV = fs.readFileSync(path.join(__dirname, '../../data/pima-diabetes.csv'), 'utf8');

/** The Keras reference program, as a spec. */
export { KERAS_SPEC };

export interface TenantBundle extends Caller {
  tenantId: string;
  name: string;
  apiKey: string;
  wsUrl: string;
}

export async function createTenant(app: App, prefix = 'tenant'): Promise<TenantBundle> {
  const name = `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
  const data = await gqlOk<{ createTenant: { tenant: { id: string }; apiKey: string } }>(
    { url: app.server.url, headers: { 'x-admin-secret': ADMIN_SECRET } },
    'mutation($name: String!) { createTenant(name: $name) { tenant { id } apiKey } }',
    { name },
  );
  const { apiKey, tenant } = data.createTenant;
  return { url: app.server.url, wsUrl: app.server.wsUrl, token: apiKey, apiKey, tenantId: tenant.id, name };
}

export async function uploadCsv(t: Caller, csv: string, name = 'data'): Promise<string> {
  const data = await gqlOk<{ uploadDataset: { id: string } }>(
    t,
    'mutation($name: String!, $csv: String!) { uploadDataset(name: $name, csv: $csv) { id } }',
    { name, csv },
  );
  return data.uploadDataset.id;
}

export const START_RUN = `mutation($input: StartTrainingRunInput!) {
  startTrainingRun(input: $input) { id status modelName targetColumn featureColumns }
}`;

export async function startRun(t: Caller, datasetId: string, modelName: string, spec: object = KERAS_SPEC, extra: object = {}) {
  const data = await gqlOk<{ startTrainingRun: { id: string; status: string } }>(t, START_RUN, {
    input: { datasetId, targetColumn: 'Outcome', modelName, spec, ...extra },
  });
  return data.startTrainingRun;
}

export const PROGRESS = `subscription($runId: ID!) {
  trainingProgress(runId: $runId) {
    runId kind status epoch epochs loss accuracy valLoss valAccuracy elapsedMs failureCode failureMessage
    modelVersion { id version modelName metrics { accuracy rocAuc testRows } }
  }
}`;

/** Waits for the run's FINAL event through the progress subscription (no polling). */
export async function waitForRun(t: TenantBundle, runId: string) {
  const client = wsClient(t.wsUrl, t.token);
  try {
    const events = await collect<{ trainingProgress: Record<string, any> }>(client, PROGRESS, { runId }).done;
    const last = events[events.length - 1];
    if (!last?.data?.trainingProgress) throw new Error(`no final event: ${JSON.stringify(last)}`);
    return last.data.trainingProgress;
  } finally {
    await client.dispose();
  }
}
