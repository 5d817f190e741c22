/**
 * The `maas` CLI as a user runs it (a child process) against the real API on real Postgres: login
 * and its 0600 credentials file, the Pima reference flow (upload, train --watch of the README's
 * examples/reference-spec.json with the progress
 * lines and the final metrics, runs and models lists, alias set for predict --alias, predict equal to GraphQL predict, batch
 * download equal to the CSV route), paging cursors, error codes and exit statuses, Ctrl-C while
 * watching, and the key never printed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from '../src/app';
import { collect, gqlOk, wsClient } from '../src/client/graphql-client';
import { freePort } from '../src/lib/net';
import { startTestApp } from './support/app';
import { runCli, runCliInTerminal, startCli, type CliResult } from './support/cli';
import { KERAS_SPEC, SLOW_NETWORK, PIMA_CSV, PIMA_ROWS, pimaTimes } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';

/** The README's spec file: the Keras reference job with its test split and seed. */
const SPEC = path.join(__dirname, '../examples/reference-spec.json');

let app: App;
let t: TenantBundle;
let dir: string;
let env: Record<string, string>;
/** Every output of every run, to check the key never appears. */
const printed: string[] = [];

async function maas(...args: string[]): Promise<CliResult> {
  const r = await runCli(args, env);
  printed.push(r.stdout, r.stderr);
  return r;
}

/** Runs a command expected to succeed and parses its `--json` stdout. */
async function maasJson<T = any>(...args: string[]): Promise<T> {
  const r = await maas(...args, '--json');
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'cli');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-cli-'));
  env = { XDG_CONFIG_HOME: path.join(dir, 'config') };
  fs.writeFileSync(path.join(dir, 'pima.csv'), PIMA_CSV);
});
afterAll(async () => {
  await app.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('login', () => {
  it('refuses a bad key with UNAUTHENTICATED and exit 1, storing nothing', async () => {
    const r = await maas('login', '--url', t.url, '--key', 'maas_not-a-real-key');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error UNAUTHENTICATED: /);
    expect(r.stdout + r.stderr).not.toContain('maas_not-a-real-key');
    expect(fs.existsSync(path.join(dir, 'config', 'maas', 'credentials.json'))).toBe(false);
  });

  it('checks the key, stores url and key in a 0600 file, and never prints the key', async () => {
    const r = await maas('login', '--url', t.url, '--key', t.apiKey);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`as tenant '${t.name}'`);
    // Scopes as createApiKey's Scope enum takes them.
    expect(r.stdout).toContain(' (apiKey; scopes DATASETS_READ, DATASETS_WRITE, TRAINING_READ, TRAINING_RUN, MODELS_READ, MODELS_WRITE, PREDICT, ADMIN); credentials saved in ');
    const file = path.join(dir, 'config', 'maas', 'credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ url: t.url, apiKey: t.apiKey });
  });

  it('is not needed with MAAS_URL and MAAS_API_KEY, which win over the file', async () => {
    const other = await createTenant(app, 'cli-env');
    const r = await runCli(['datasets', 'list', '--json'], { XDG_CONFIG_HOME: path.join(dir, 'empty'), MAAS_URL: other.url, MAAS_API_KEY: other.apiKey });
    printed.push(r.stdout, r.stderr);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ totalCount: 0, nextCursor: null, items: [] });
  });
});

describe('the Pima reference flow', () => {
  let datasetId: string;
  let runId: string;

  it('uploads the CSV', async () => {
    const d = await maasJson('datasets', 'upload', path.join(dir, 'pima.csv'), '--name', 'pima');
    expect(d).toMatchObject({ name: 'pima', rowCount: 768 });
    expect(d.columns.map((c: { name: string }) => c.name)).toEqual(PIMA_CSV.split('\n')[0].trim().split(','));
    datasetId = d.id;
  });

  it('trains the reference spec with --watch: ten epoch lines, then the version and its test metrics', async () => {
    expect(JSON.parse(fs.readFileSync(SPEC, 'utf8'))).toEqual({ ...KERAS_SPEC, testFraction: 0.2, seed: 42 });
    const r = await maas('train', '--dataset', datasetId, '--target', 'Outcome', '--model', 'diabetes', '--spec', SPEC, '--watch');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = r.stdout.trim().split('\n');
    runId = /^Started run (\S+) \(QUEUED\)$/.exec(lines[0])![1];
    const epochs = lines.filter((l) => l.startsWith('epoch '));
    expect(epochs.map((l) => /^epoch (\d+)\/10 {2}loss \d+\.?\d* {2}val loss (-|\d+\.?\d*) {2}ETA \d+s$/.exec(l)?.[1])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);

    const run = (await gqlOk(t, 'query($id: ID!) { trainingRun(id: $id) { status modelVersion { id version metrics { accuracy rocAuc testRows } } } }', { id: runId })).trainingRun;
    expect(run.status).toBe('SUCCEEDED');
    expect(lines).toContain(`Run ${runId} SUCCEEDED: version ${run.modelVersion.version} (${run.modelVersion.id})`);
    const metric = (name: string) => Number(lines.find((l) => l.startsWith(`${name} `))!.split(/\s+/)[1]);
    expect(metric('accuracy')).toBeCloseTo(run.modelVersion.metrics.accuracy, 4);
    expect(metric('rocAuc')).toBeCloseTo(run.modelVersion.metrics.rocAuc, 4);
    expect(metric('testRows')).toBe(154);
  });

  it('runs watch --json replays a finished run: one JSON line per epoch, then the final event', async () => {
    const r = await maas('runs', 'watch', runId, '--json');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => [e.kind, e.epoch])).toEqual([...Array.from({ length: 10 }, (_, i) => ['EPOCH', i + 1]), ['FINAL', null]]);
    expect(events[10]).toMatchObject({ status: 'SUCCEEDED', modelVersion: { version: 1, metrics: { testRows: 154 } } });
  });

  it('on a terminal, draws the progress bar (cli-progress) and still ends with the version and metrics', async () => {
    const r = await runCliInTerminal(['runs', 'watch', runId], env);
    printed.push(r.stdout, r.stderr);
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex
    const screen = r.stdout.replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, '');
    expect(screen).toMatch(/epoch 10\/10 \|=+\| loss \d+\.\d+ {2}val loss - {2}ETA 0s/);
    expect(screen).not.toMatch(/^epoch \d+\/10 {2}loss/m);
    expect(screen).toMatch(new RegExp(`Run ${runId} SUCCEEDED: version 1`));
  });

  it('lists the run and the model', async () => {
    const runs = await maasJson('runs', 'list');
    expect(runs.items).toEqual([expect.objectContaining({ id: runId, status: 'SUCCEEDED', modelName: 'diabetes', datasetId, modelVersion: { version: 1 } })]);
    const table = await maas('runs', 'list');
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+MODEL\s+VERSION\s+DATASET\s+CREATED$/);
    expect(table.stdout).toMatch(new RegExp(`^${runId}\\s+SUCCEEDED\\s+diabetes\\s+1\\s+${datasetId}`, 'm'));
    const models = await maasJson('models', 'list');
    expect(models).toMatchObject({ totalCount: 1, nextCursor: null, items: [{ name: 'diabetes', latestVersion: { version: 1 } }] });
  });

  it('trains without --spec: the server picks a network for the target task (binary here)', async () => {
    const r = await maas('train', '--dataset', datasetId, '--target', 'Outcome', '--model', 'diabetes-default', '--watch');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const id = /^Started run (\S+) \(QUEUED\)$/.exec(r.stdout.split('\n')[0])![1];
    expect(r.stdout.split('\n').filter((l) => l.startsWith('epoch '))).toHaveLength(10);
    const run = (await gqlOk(t, 'query($id: ID!) { trainingRun(id: $id) { status spec modelVersion { metrics { accuracy } } } }', { id })).trainingRun;
    expect(run).toMatchObject({ status: 'SUCCEEDED', spec: { model: 'neural_network', loss: 'binary_crossentropy', epochs: 10, batchSize: 32 } });
    expect(run.spec.layers.map((l: { units: number; activation: string }) => [l.units, l.activation])).toEqual([
      [8, 'relu'],
      [1, 'sigmoid'],
    ]);
    expect(run.modelVersion.metrics.accuracy).toBeGreaterThan(0.65);
  });

  it("alias set names a version for predict --alias (the README's order: no alias before it)", async () => {
    const row = JSON.stringify(PIMA_ROWS[0]);
    const before = await maas('predict', '--model', 'diabetes', '--alias', 'production', '--row', row);
    expect([before.code, before.stderr.split(':')[0]]).toEqual([1, 'error NOT_FOUND']);

    const r = await maas('alias', 'set', 'diabetes', 'production', '1');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout.trim()).toBe("Alias 'diabetes@production' now names version 1; 'maas predict --model diabetes --alias production' uses it");
    const json = await maasJson('alias', 'set', 'diabetes', 'production', '1');
    expect(json).toMatchObject({ modelName: 'diabetes', name: 'production', version: 1 });
    const aliases = (await gqlOk(t, '{ model(name: "diabetes") { aliases { name version } } }')).model.aliases;
    expect(aliases).toEqual([{ name: 'production', version: 1 }]);
    const after = await maasJson('predict', '--model', 'diabetes', '--alias', 'production', '--row', row);
    expect(after).toMatchObject({ modelName: 'diabetes', version: 1 });

    const missing = await maas('alias', 'set', 'diabetes', 'production', '7');
    expect([missing.code, missing.stderr.split(':')[0]]).toEqual([1, 'error NOT_FOUND']);
    const bad = await maas('alias', 'set', 'diabetes', 'production', 'latest');
    expect([bad.code, bad.stderr]).toEqual([
      2,
      "error USAGE: command-argument value 'latest' is invalid for argument 'version'. <version> must be a whole number from 1, not 'latest'\n",
    ]);
  });

  it('predicts a --row, a CSV file and a JSON file exactly as GraphQL predict does', async () => {
    const rows = PIMA_ROWS.slice(0, 3);
    const direct = (await gqlOk(t, 'query($rows: [JSONObject!]!) { predict(model: "diabetes", rows: $rows) { version predictions { label probability value } } }', { rows }))
      .predict;

    const one = await maasJson('predict', '--model', 'diabetes', '--row', JSON.stringify(rows[0]));
    expect(one).toEqual({ modelName: 'diabetes', version: 1, predictions: [direct.predictions[0]] });

    const csv = path.join(dir, 'rows.csv');
    fs.writeFileSync(csv, [Object.keys(rows[0]).join(','), ...rows.map((r) => Object.values(r).join(','))].join('\n'));
    expect((await maasJson('predict', '--model', 'diabetes', '--version', '1', '--file', csv)).predictions).toEqual(direct.predictions);
    const json = path.join(dir, 'rows.json');
    fs.writeFileSync(json, JSON.stringify(rows));
    expect((await maasJson('predict', '--model', 'diabetes', '--file', json)).predictions).toEqual(direct.predictions);

    const table = await maas('predict', '--model', 'diabetes', '--file', csv);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(["Model 'diabetes' version 1", expect.stringMatching(/^ROW\s+LABEL\s+PROBABILITY$/)]);
    lines.slice(2).forEach((line, i) => {
      const [row, label, probability] = line.split(/\s+/);
      expect([Number(row), label]).toEqual([i + 1, direct.predictions[i].label]);
      expect(Number(probability)).toBeCloseTo(direct.predictions[i].probability, 4);
    });
  });

  it('downloads a batch prediction, byte for byte what the CSV route serves', async () => {
    const started = await maasJson('batch', 'start', '--dataset', datasetId, '--model', 'diabetes');
    expect(started).toMatchObject({ status: 'QUEUED', rowCount: 768 });
    const early = await maas('batch', 'download', 'no-such-batch');
    expect([early.code, early.stderr.split(':')[0]]).toEqual([1, 'error NOT_FOUND']);

    const client = wsClient(t.wsUrl, t.token);
    await collect(client, 'subscription($id: ID!) { batchPredictionProgress(id: $id) { status } }', { id: started.id }).done;
    await client.dispose();
    const out = path.join(dir, 'batch.csv');
    const r = await maas('batch', 'download', started.id, '-o', out);
    expect(r.code).toBe(0);
    const served = await (await fetch(new URL(`/batch-predictions/${started.id}.csv`, t.url), { headers: { authorization: `Bearer ${t.token}` } })).text();
    expect(fs.readFileSync(out, 'utf8')).toBe(served);
    expect(served.trim().split('\n')).toHaveLength(769);
    const toStdout = await maas('batch', 'download', started.id);
    expect(toStdout.stdout).toBe(served);
  });

  it('Ctrl-C stops watching, not the run; runs cancel cancels it', async () => {
    // 1000 epochs over Pima 20 times: far longer than the few steps below.
    fs.writeFileSync(path.join(dir, 'long.json'), JSON.stringify({ ...SLOW_NETWORK, epochs: 1000 }));
    const big = await uploadCsv(t, pimaTimes(20), 'pima-x20');
    const cli = startCli(['train', '--dataset', big, '--target', 'Outcome', '--model', 'long', '--spec', path.join(dir, 'long.json'), '--watch'], env);
    const id = /^Started run (\S+)/.exec(await cli.waitForLine(/^Started run /))![1];
    await cli.waitForLine(/^epoch 1\/1000 /);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    printed.push(r.stdout, r.stderr);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`Stopped watching; run ${id} goes on`);
    expect((await gqlOk(t, 'query($id: ID!) { trainingRun(id: $id) { status } }', { id })).trainingRun.status).toBe('RUNNING');

    const cancelled = await maas('runs', 'cancel', id);
    expect([cancelled.code, cancelled.stdout.trim()]).toEqual([0, `Run ${id} is CANCELLED`]);
    const again = await maas('runs', 'cancel', id);
    expect([again.code, again.stderr.split(':')[0]]).toEqual([1, 'error INVALID_STATE']);
  });
});

describe('paging', () => {
  it('prints the next cursor, and --after gives the next page', async () => {
    await maasJson('datasets', 'upload', path.join(dir, 'pima.csv'), '--name', 'pima-2');
    // Newest first: pima-2, pima-x20 (the Ctrl-C test's), pima.
    const first = await maas('datasets', 'list', '--first', '2');
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+ROWS\s+COLUMNS\s+CREATED$/);
    expect(lines[1]).toMatch(/\spima-2\s+768\s+9\s/);
    expect(lines[2]).toMatch(/\spima-x20\s+15360\s+9\s/);
    const cursor = /^2 of 3; next page: --after (\S+)$/.exec(lines[3])![1];
    const second = await maasJson('datasets', 'list', '--first', '2', '--after', cursor);
    expect(second).toMatchObject({ totalCount: 3, nextCursor: null, items: [{ name: 'pima' }] });
  });
});

describe('errors', () => {
  it('prints the API code and exits 1: an unknown dataset is NOT_FOUND', async () => {
    const r = await maas('train', '--dataset', 'no-such-dataset', '--target', 'Outcome', '--model', 'x', '--spec', SPEC);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error NOT_FOUND: .*no-such-dataset/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 on a command line that does not parse', async () => {
    for (const args of [['train', '--dataset', 'd'], ['predict', '--model', 'diabetes'], ['datasets', 'list', '--first', 'many'], ['nonsense']]) {
      const r = await maas(...args);
      expect([args, r.code, r.stderr.split(':')[0]]).toEqual([args, 2, 'error USAGE']);
    }
  });

  it('an unreachable server is NETWORK_ERROR with exit 1; a URL without /graphql gets it added', async () => {
    const port = await freePort();
    const r = await runCli(['models', 'list'], { XDG_CONFIG_HOME: path.join(dir, 'empty'), MAAS_URL: `http://127.0.0.1:${port}`, MAAS_API_KEY: 'maas_wrong' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error NETWORK_ERROR: Cannot reach http://127\\.0\\.0\\.1:${port}/graphql `));
    const bad = await runCli(['models', 'list'], { XDG_CONFIG_HOME: path.join(dir, 'empty'), MAAS_URL: 'localhost:4000', MAAS_API_KEY: 'maas_wrong' });
    expect([bad.code, bad.stderr.split(':')[0]]).toEqual([2, 'error USAGE']);
  });

  it('a command group without its subcommand prints its help to stderr and exits 2', async () => {
    const r = await maas('datasets');
    expect([r.code, r.stdout, r.stderr.split('\n')[0]]).toEqual([2, '', 'Usage: maas datasets [options] [command]']);
    expect(r.stderr).toMatch(/upload \[options\] <file>/);
  });

  it('a bad stored key answers UNAUTHENTICATED with exit 1', async () => {
    const r = await runCli(['runs', 'list'], { XDG_CONFIG_HOME: path.join(dir, 'empty'), MAAS_URL: t.url, MAAS_API_KEY: 'maas_wrong' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error UNAUTHENTICATED: /);
    expect(r.stdout + r.stderr).not.toContain('maas_wrong');
  });

  it('never printed the key', () => {
    expect(printed.length).toBeGreaterThan(20);
    for (const output of printed) expect(output).not.toContain(t.apiKey);
  });
});
