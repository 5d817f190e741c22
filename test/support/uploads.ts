/** Helpers for the data and model specs: upload with options, train through the API and read the version. */
import { gql, gqlOk, type Caller, type GqlResult } from '../../src/client/graphql-client';
import { START_RUN, waitForRun, type TenantBundle } from './factories';

export const COLUMN_FIELDS = `name type missing missingCodes distinct integer min max mean std
  quantiles { q value } histogram { lower upper count } earliest latest topValues { value count }`;

export interface UploadOptions {
  hasHeader?: boolean;
  missingValues?: { column?: string; values: string[] }[];
}

/** Uploads a file through the GraphQL multipart request, with upload options. */
export async function uploadWith(t: Caller, filename: string, content: Buffer | string, options: UploadOptions = {}): Promise<GqlResult> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({
      query: `mutation($file: Upload!, $hasHeader: Boolean, $missingValues: [MissingValuesInput!]) {
        uploadDataset(name: "${filename}", file: $file, hasHeader: $hasHeader, missingValues: $missingValues) {
          id rowCount hasHeader delimiter columns { ${COLUMN_FIELDS} } } }`,
      variables: { file: null, ...options },
    }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), filename);
  const res = await fetch(t.url, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'apollo-require-preflight': 'true' }, body: form });
  return (await res.json()) as GqlResult;
}

/** Like uploadWith, but throws on errors and returns the dataset. */
export async function uploadOk(t: Caller, filename: string, content: Buffer | string, options: UploadOptions = {}) {
  const r = await uploadWith(t, filename, content, options);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.uploadDataset as { id: string; rowCount: number; columns: ({ name: string } & Record<string, any>)[] };
}

export const VERSION_FIELDS = `id version task framework inputs standardize preprocessing
  features { name type mean std imputeValue categories missingCodes steps inputs }
  target { name task classes labelSuffix }
  featureImportances { input column importance }
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

export const PREDICT = `query($model: String!, $rows: [JSONObject!]!) {
  predict(model: $model, rows: $rows) { version predictions { label probability probabilities value } } }`;
