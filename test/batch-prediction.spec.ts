/**
 * Batch prediction as a job: every dataset row scored by a version, progress streamed, the CSV
 * downloadable by the same tenant only, and equal to predict on the same rows.
 */
import type { App } from '../src/app';
import { codeOf, collect, gql, gqlOk, wsClient } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { startRun, trainVersion, waitForRun } from './support/training';

let app: App;
let t: TenantBundle;
let datasetId: string;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'batch');
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  expect((await waitForRun(t, (await startRun(t, datasetId, 'diabetes', { ...KERAS_SPEC, epochs: 2 })).id)).status).toBe('SUCCEEDED');
});
afterAll(() => app.stop());

it('scores every row, streams progress, and serves the CSV to its tenant only', async () => {
  const started = await gqlOk(t, 'mutation($d: ID!) { startBatchPrediction(model: "diabetes", datasetId: $d) { id status rowCount downloadPath } }', { d: datasetId });
  const batch = started.startBatchPrediction;
  expect(batch).toMatchObject({ status: 'QUEUED', rowCount: 768, downloadPath: null });

  const client = wsClient(t.wsUrl, t.token);
  const events = await collect<{ batchPredictionProgress: Record<string, any> }>(
    client,
    'subscription($id: ID!) { batchPredictionProgress(id: $id) { status processedRows rowCount } }',
    { id: batch.id },
  ).done;
  await client.dispose();
  const last = events[events.length - 1].data!.batchPredictionProgress;
  expect(last).toEqual({ status: 'SUCCEEDED', processedRows: 768, rowCount: 768 });

  const done = (await gqlOk(t, 'query($id: ID!) { batchPrediction(id: $id) { status processedRows downloadPath } }', { id: batch.id })).batchPrediction;
  expect(done).toEqual({ status: 'SUCCEEDED', processedRows: 768, downloadPath: `/batch-predictions/${batch.id}.csv` });
  const base = t.url.replace('/graphql', '');
  const res = await fetch(base + done.downloadPath, { headers: { authorization: `Bearer ${t.token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/csv/);
  const lines = (await res.text()).trim().split('\n');
  expect(lines).toHaveLength(769);
  expect(lines[0]).toBe(
    '"Pregnancies","Glucose","BloodPressure","SkinThickness","Insulin","BMI","DiabetesPedigreeFunction","Age","Outcome","predicted_label","predicted_probability"',
  );

  // Equal to predict on the same raw rows.
  const [header, ...rows] = PIMA_CSV.trim().split('\n');
  const names = header.split(',');
  const sample = rows.slice(0, 5).map((l) => Object.fromEntries(l.split(',').map((v, j) => [names[j], Number(v)])));
  const direct = (await gqlOk(t, 'query($rows: [JSONObject!]!) { predict(model: "diabetes", rows: $rows) { predictions { label probability } } }', { rows: sample })).predict
    .predictions;
  lines.slice(1, 6).forEach((line, i) => {
    const cells = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    expect(cells[9]).toBe(direct[i].label);
    expect(Number(cells[10])).toBeCloseTo(direct[i].probability, 6);
  });

  // Another tenant: 404 on the download, NOT_FOUND on the query.
  const other = await createTenant(app, 'other');
  expect((await fetch(base + done.downloadPath, { headers: { authorization: `Bearer ${other.token}` } })).status).toBe(404);
  // Without a credential: 401 naming the header to send, as GraphQL and V2 do.
  const anonymous = await fetch(base + done.downloadPath);
  expect([anonymous.status, await anonymous.json()]).toEqual([
    401,
    { errors: [{ message: "This operation needs a credential: send 'Authorization: Bearer <API key or token>'", extensions: { code: 'UNAUTHENTICATED' } }] },
  ]);
  expect(codeOf(await gql(other, 'query($id: ID!) { batchPrediction(id: $id) { id } }', { id: batch.id }))).toBe('NOT_FOUND');
});

it('refuses an unknown dataset or model with NOT_FOUND', async () => {
  const noDataset = await gql(t, 'mutation { startBatchPrediction(model: "diabetes", datasetId: "nope") { id } }');
  expect(codeOf(noDataset)).toBe('NOT_FOUND');
  expect(noDataset.errors![0].message).toBe("Dataset 'nope' not found");
  const noModel = await gql(t, 'mutation($d: ID!) { startBatchPrediction(model: "nope", datasetId: $d) { id } }', { d: datasetId });
  expect(codeOf(noModel)).toBe('NOT_FOUND');
});

describe('what a reader gets back, by scope', () => {
  const base = () => t.url.replace('/graphql', '');
  const keyWith = async (scopes: string) =>
    (await gqlOk(t, `mutation { createApiKey(input: { name: "k-${scopes.replace(/\W/g, '')}", scopes: [${scopes}] }) { key } }`)).createApiKey.key as string;
  /** Runs a batch of `csv` with `token` and returns the finished batch. */
  async function batchOf(csv: string, token = t.token) {
    const d = await uploadCsv(t, csv, 'hostile');
    const started = (await gqlOk({ ...t, token }, 'mutation($d: ID!) { startBatchPrediction(model: "diabetes", datasetId: $d) { id } }', { d })).startBatchPrediction;
    const client = wsClient(t.wsUrl, token);
    await collect(client, 'subscription($id: ID!) { batchPredictionProgress(id: $id) { status } }', { id: started.id }).done;
    await client.dispose();
    return (await gqlOk({ ...t, token }, 'query($id: ID!) { batchPrediction(id: $id) { id status downloadPath failureMessage } }', { id: started.id })).batchPrediction;
  }
  const download = async (path: string, token: string) => {
    const res = await fetch(base() + path, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, text: await res.text() };
  };
  const [pimaHeader, ...pimaRows] = PIMA_CSV.trim().split('\n');
  const HOSTILE = [
    `id,note,${pimaHeader}`,
    `9007199254740993,"=HYPERLINK(""http://evil"",""x"")",${pimaRows[0]}`,
    `9007199254740992,@SUM(A1),${pimaRows[1]}`,
    `0007,-1+2,${pimaRows[2]}`,
  ].join('\n');

  it('escapes formulas, keeps ids as uploaded, and gives the dataset cells only with datasets:read', async () => {
    const predictOnly = await keyWith('PREDICT');
    const reader = await keyWith('PREDICT, DATASETS_READ');
    const batch = await batchOf(HOSTILE, predictOnly); // started by a predict-only key: the data is still the tenant's
    expect(batch.status).toBe('SUCCEEDED');
    const quoted = (line: string) =>
      line
        .split(',')
        .map((c) => `"${c}"`)
        .join(',');
    const full = await download(batch.downloadPath, reader);
    expect(full.status).toBe(200);
    const lines = full.text.split('\n');
    expect(lines[0]).toBe(`"id","note",${quoted(pimaHeader)},"predicted_label","predicted_probability"`);
    expect(lines[1].startsWith(`"9007199254740993","'=HYPERLINK(""http://evil"",""x"")",${quoted(pimaRows[0])},`)).toBe(true);
    expect(lines[2].startsWith(`"9007199254740992","'@SUM(A1)",${quoted(pimaRows[1])},`)).toBe(true);
    expect(lines[3].startsWith(`"0007","'-1+2",${quoted(pimaRows[2])},`)).toBe(true);
    expect(lines[4]).toBe('');
    const predictions = lines.slice(1, 4).map((l) => l.split(',').slice(-2).join(','));
    predictions.forEach((p) => expect(p).toMatch(/^"(tested_positive|tested_negative|0|1)",(0|1|0\.\d+)$/));

    // The same batch read by a predict-only key (or any key without datasets:read): row numbers and predictions.
    const only = await download(batch.downloadPath, predictOnly);
    expect(only).toEqual({ status: 200, text: `"row","predicted_label","predicted_probability"\n${predictions.map((p, i) => `${i + 1},${p}`).join('\n')}\n` });
    for (const secret of ['9007199254740993', 'HYPERLINK', 'SUM(A1)', pimaRows[0]]) expect(only.text).not.toContain(secret);

    // Without predict: FORBIDDEN, even with datasets:read.
    const readOnly = await keyWith('DATASETS_READ');
    expect(await download(batch.downloadPath, readOnly)).toEqual({
      status: 403,
      text: JSON.stringify({ errors: [{ message: 'This credential lacks the PREDICT scope', extensions: { code: 'FORBIDDEN' } }] }),
    });
  });

  // Review F12: deleting (or archiving) a dataset removes its cells from the batch results built
  // from it; they keep the row numbers and predictions, which every reader then downloads.
  describe("when the batch's dataset is deleted", () => {
    const DELETE = 'mutation($id: ID!, $force: Boolean) { deleteDataset(id: $id, force: $force) }';
    const START = 'mutation($d: ID!) { startBatchPrediction(model: "diabetes", datasetId: $d) { id } }';
    const ONLY_HEADER = '"row","predicted_label","predicted_probability"';
    /** A finished batch of dataset `d` (started by the admin key): what the admin key and a predict-only key download. */
    async function finished(d: string) {
      const id = (await gqlOk(t, START, { d })).startBatchPrediction.id as string;
      const client = wsClient(t.wsUrl, t.token);
      await collect(client, 'subscription($id: ID!) { batchPredictionProgress(id: $id) { status } }', { id }).done;
      await client.dispose();
      const path = `/batch-predictions/${id}.csv`;
      const full = await download(path, t.apiKey);
      const predictionsOnly = await download(path, await keyWith('PREDICT'));
      expect([full.status, predictionsOnly.status, predictionsOnly.text.split('\n')[0]]).toEqual([200, 200, ONLY_HEADER]);
      return { id, path, full, predictionsOnly };
    }

    it('serves every reader the row numbers and predictions only, and keeps no cell', async () => {
      const d = await uploadCsv(t, HOSTILE, 'deleted-later');
      const batch = await finished(d);
      expect(batch.full.text).toContain('9007199254740993');
      expect((await gqlOk(t, DELETE, { id: d })).deleteDataset).toBe(true);
      expect(await download(batch.path, t.apiKey)).toEqual(batch.predictionsOnly);
      const row = await app.db.prisma.batchPrediction.findUniqueOrThrow({ where: { id: batch.id } });
      expect([row.datasetId, row.result, row.status, Buffer.from(row.predictionsOnly!).toString()]).toEqual([null, null, 'SUCCEEDED', batch.predictionsOnly.text]);
    });

    it('does the same when it is archived (force), leaves other datasets’ batches alone, and restoring does not bring the cells back', async () => {
      const other = await finished(await uploadCsv(t, HOSTILE, 'kept'));
      const d = await uploadCsv(t, [pimaHeader, ...pimaRows.slice(0, 60)].join('\n'), 'trained-on');
      await trainVersion(t, { datasetId: d, targetColumn: 'Outcome', modelName: 'on-archived', spec: { model: 'DECISION_TREE', seed: 1 } });
      const batch = await finished(d);
      expect(batch.full.text.split('\n')[1]).toBe(
        `${pimaRows[0]
          .split(',')
          .map((c) => `"${c}"`)
          .join(',')},${batch.predictionsOnly.text.split('\n')[1].replace(/^1,/, '')}`,
      );
      expect(codeOf(await gql(t, DELETE, { id: d }))).toBe('DATASET_IN_USE');
      expect((await gqlOk(t, DELETE, { id: d, force: true })).deleteDataset).toBe(true);
      expect(await download(batch.path, t.apiKey)).toEqual(batch.predictionsOnly);
      expect(await download(other.path, t.apiKey)).toEqual(other.full);
      await gqlOk(t, 'mutation($id: ID!) { restoreDataset(id: $id) { id } }', { id: d });
      expect(await download(batch.path, t.apiKey)).toEqual(batch.predictionsOnly);
    });

    it('stores no cell for a batch that finishes after its dataset was deleted', async () => {
      const d = await uploadCsv(t, HOSTILE, 'deleted-while-running');
      const id = (await gqlOk(t, START, { d })).startBatchPrediction.id as string;
      const client = wsClient(t.wsUrl, t.token);
      let scored!: () => void;
      const allScored = new Promise<void>((resolve) => (scored = resolve));
      const final = new Promise<string>((resolve, reject) => {
        client.subscribe<{ batchPredictionProgress: { status: string; processedRows: number } }>(
          { query: 'subscription($id: ID!) { batchPredictionProgress(id: $id) { status processedRows } }', variables: { id } },
          {
            next: ({ data }) => {
              if (data?.batchPredictionProgress.processedRows === 3) scored();
              if (data?.batchPredictionProgress.status === 'SUCCEEDED' || data?.batchPredictionProgress.status === 'FAILED') resolve(data.batchPredictionProgress.status);
            },
            error: reject,
            complete: () => undefined,
          },
        );
      });
      // The dataset's row held as deleteDataset holds it, from before the job can store its result;
      // deleted once every row is scored (the job has read the cells), before the result is stored.
      await app.db.prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT id FROM "Dataset" WHERE id = ${d} FOR UPDATE`;
          await allScored;
          await tx.$executeRaw`DELETE FROM "Dataset" WHERE id = ${d}`;
        },
        { timeout: 60_000 },
      );
      expect(await final).toBe('SUCCEEDED');
      await client.dispose();
      const path = `/batch-predictions/${id}.csv`;
      const read = await download(path, t.apiKey);
      expect(read).toEqual(await download(path, await keyWith('PREDICT')));
      expect(read.text.split('\n')[0]).toBe(ONLY_HEADER);
    });
  });

  it('names the row and column of an unreadable cell, never its value', async () => {
    const [first, second] = pimaRows;
    const cells = second.split(',');
    cells[1] = 'secret-value-42';
    const batch = await batchOf([pimaHeader, first, cells.join(',')].join('\n'), await keyWith('PREDICT'));
    expect(batch.status).toBe('FAILED');
    expect(batch.failureMessage).toBe("Dataset row 2, column 'Glucose': the value is not a number (read the dataset with the DATASETS_READ scope to see it)");
  });
});

it('answers hostile download ids with a coded 4xx, never a 500', async () => {
  const base = t.url.replace('/graphql', '');
  const problems: string[] = [];
  for (const id of ['%00', 'a%00b', '%E2%80%AE', 'x'.repeat(5000), '..%2F..%2Fetc%2Fpasswd', '%22%0D%0ASet-Cookie:x=1', "'%20OR%201=1--"]) {
    const res = await fetch(`${base}/batch-predictions/${id}.csv`, { headers: { authorization: `Bearer ${t.token}` } });
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    if (res.status >= 500 || !['NOT_FOUND', 'BAD_USER_INPUT'].includes(body.errors[0].extensions.code))
      problems.push(`${id.slice(0, 40)} -> ${res.status} ${JSON.stringify(body)}`);
  }
  expect(problems).toEqual([]);
});
