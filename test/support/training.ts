/**
 * Training runs through the API: start one, wait for its FINAL event on the progress subscription
 * (no polling), and read the model version it produced.
 */
import { collect, gql, gqlOk, wsClient, type Caller } from '../../src/client/graphql-client';
import { KERAS_SPEC } from './data';
import type { TenantBundle } from './factories';

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

/**
 * Resolves with the run's first progress event (a stored epoch replayed, or the next live one),
 * then closes the subscription.
 * @throws Error when the subscription fails or ends before any event.
 */
export async function firstProgressEvent(t: TenantBundle, runId: string): Promise<Record<string, any>> {
  const client = wsClient(t.wsUrl, t.token);
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe<{ trainingProgress: Record<string, any> }>(
        { query: PROGRESS, variables: { runId } },
        {
          next: (value) => (value.data ? resolve(value.data.trainingProgress) : reject(new Error(JSON.stringify(value.errors)))),
          error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
          complete: () => reject(new Error(`run ${runId}: the progress subscription ended without an event`)),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

export const VERSION_FIELDS = `id version task framework inputs standardize preprocessing
  features { name type mean std imputeValue categories missingCodes steps inputs }
  target { name task classes labelSuffix }
  featureImportances { input column importance std } featureImportanceMethod
  metrics { task testRows accuracy precision recall f1 rocAuc logLoss confusionMatrix macroPrecision macroRecall macroF1
    perClass { label precision recall f1 support } mse rmse mae r2 rows { train validation test } bestEpoch stoppedEarly }`;

export interface RunInput {
  datasetId: string;
  targetColumn: string;
  modelName: string;
  spec: Record<string, unknown>;
  featureColumns?: string[];
}

/** Starts a run through the API, waits for its FINAL event, and returns the version it produced. */
export async function trainVersion(t: TenantBundle, input: RunInput): Promise<Record<string, any>> {
  const started = await gqlOk<{ startTrainingRun: { id: string } }>(t, START_RUN, { input });
  const final = await waitForRun(t, started.startTrainingRun.id);
  if (final.status !== 'SUCCEEDED') throw new Error(`run ${final.status}: ${final.failureCode} ${final.failureMessage}`);
  const data = await gqlOk(t, `query($id: ID!) { modelVersion(id: $id) { ${VERSION_FIELDS} } }`, { id: final.modelVersion.id });
  return data.modelVersion;
}

/** startTrainingRun's error (BAD_USER_INPUT expected), or undefined when it was queued. */
export async function startError(t: TenantBundle, input: RunInput) {
  const r = await gql(t, START_RUN, { input });
  return r.errors?.[0] ? { code: r.errors[0].extensions?.code, message: r.errors[0].message } : undefined;
}
