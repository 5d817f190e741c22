/**
 * Hyperparameter sweeps through the API (issue 14): startSweep fans trials out as ordinary
 * training runs, sweepLeaderboard streams the ranked trials until the sweep ends, the best
 * trial's version is pointed at; random draws are reproducible from the seed; successive halving
 * continues the best configurations with more epochs; cancelSweep stops every run; bad input is
 * refused with coded errors before anything is stored; other tenants get NOT_FOUND.
 */
import type { App } from '../src/app';
import { codeOf, collect, gql, gqlOk, wsClient, type GqlResult } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';

const START = `mutation($input: StartSweepInput!) { startSweep(input: $input) { id status strategy maxTrials } }`;
const CANCEL = `mutation($id: ID!) { cancelSweep(id: $id) { id status finishedAt } }`;
const TRIAL = 'id rank index config rung params epochs epochsDone status objective final trainingRunId modelVersionId';
const SWEEP = `query($id: ID!) { sweep(id: $id) { id status bestTrialId bestVersionId bestVersion { id metrics { accuracy } } leaderboard { ${TRIAL} } } }`;
const FOLLOW = `subscription($id: ID!) { sweepLeaderboard(sweepId: $id) { sweep { id status bestTrialId } trials { ${TRIAL} } } }`;
const SPEC = { ...KERAS_SPEC, epochs: 1, batchSize: 64 };

let app: App;
let t: TenantBundle;
let other: TenantBundle;
let datasetId: string;

const input = (extra: Record<string, unknown>) => ({
  datasetId,
  targetColumn: 'Outcome',
  modelName: 'sweep',
  baseSpec: SPEC,
  strategy: 'GRID',
  objective: { metric: 'ACCURACY', direction: 'MAXIMIZE' },
  budget: { maxTrials: 4, maxConcurrent: 2 },
  earlyStop: false,
  ...extra,
});
const start = async (extra: Record<string, unknown>) => (await gqlOk(t, START, { input: input(extra) })).startSweep as { id: string; status: string };

type Board = { sweep: { id: string; status: string; bestTrialId: string | null }; trials: Record<string, any>[] };

/** Every board the subscription sends until the sweep ends (waits on the stream, never sleeps). */
async function follow(who: TenantBundle, id: string): Promise<GqlResult<{ sweepLeaderboard: Board }>[]> {
  const client = wsClient(who.wsUrl, who.token);
  try {
    return await collect<{ sweepLeaderboard: Board }>(client, FOLLOW, { id }).done;
  } finally {
    await client.dispose();
  }
}

const boards = (events: GqlResult<{ sweepLeaderboard: Board }>[]) => events.map((e) => e.data!.sweepLeaderboard);

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'sweeps');
  other = await createTenant(app, 'sweeps-other');
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
}, 60_000);
afterAll(async () => {
  await app.stop();
});

it('a grid of 4 trials trains as runs, streams a ranked leaderboard and points at the best version', async () => {
  const space = [
    { path: 'optimizer.learningRate', values: [0.001, 0.05] },
    { path: 'layers.0.units', values: [4, 8] },
  ];
  const sweep = await start({ space });
  expect(sweep.status).toBe('RUNNING');
  const events = await follow(t, sweep.id);
  const streamed = boards(events);
  expect(streamed.length).toBeGreaterThan(2);
  const last = streamed[streamed.length - 1];
  expect(last.sweep.status).toBe('SUCCEEDED');
  // Trials were streamed while they trained: some board shows a trial QUEUED or RUNNING.
  expect(streamed.some((b) => b.trials.some((x) => x.status === 'RUNNING' || x.status === 'QUEUED'))).toBe(true);
  // ... and boards in between rank the trials that finished so far among those still going.
  expect(streamed.some((b) => b.trials.some((x) => x.status === 'SUCCEEDED') && b.trials.some((x) => x.status !== 'SUCCEEDED'))).toBe(true);
  expect(streamed.every((b) => b.trials.map((x) => x.rank).join() === '1,2,3,4')).toBe(true);

  const got = (await gqlOk(t, SWEEP, { id: sweep.id })).sweep;
  const trials: Record<string, any>[] = got.leaderboard;
  expect(trials.map((x) => x.rank)).toEqual([1, 2, 3, 4]);
  expect(trials.every((x) => x.status === 'SUCCEEDED' && x.final && x.epochsDone === 1)).toBe(true);
  const objectives = trials.map((x) => x.objective as number);
  expect([...objectives].sort((a, b) => b - a)).toEqual(objectives);
  expect(trials.map((x) => x.params).sort((a, b) => a['optimizer.learningRate'] - b['optimizer.learningRate'] || a['layers.0.units'] - b['layers.0.units'])).toEqual([
    { 'optimizer.learningRate': 0.001, 'layers.0.units': 4 },
    { 'optimizer.learningRate': 0.001, 'layers.0.units': 8 },
    { 'optimizer.learningRate': 0.05, 'layers.0.units': 4 },
    { 'optimizer.learningRate': 0.05, 'layers.0.units': 8 },
  ]);
  // The best version is the rank-1 trial's, and its test accuracy is that trial's objective.
  expect(got.bestTrialId).toBe(trials[0].id);
  expect(got.bestVersionId).toBe(trials[0].modelVersionId);
  expect(got.bestVersion.metrics.accuracy).toBe(trials[0].objective);
  expect(last.sweep.bestTrialId).toBe(trials[0].id);
  // Trials are ordinary runs: listed among the tenant's runs, each spec with its configuration.
  const runs = (await gqlOk(t, `{ trainingRunsConnection(modelName: "sweep") { totalCount edges { node { id status } } } }`)).trainingRunsConnection;
  expect(runs.totalCount).toBe(4);
  expect(new Set(runs.edges.map((e: any) => e.node.id))).toEqual(new Set(trials.map((x) => x.trainingRunId)));
  const node = (await gqlOk(t, 'query($id: ID!) { node(id: $id) { __typename ... on Sweep { status } } }', { id: sweep.id })).node;
  expect(node).toEqual({ __typename: 'Sweep', status: 'SUCCEEDED' });
  const listed = (await gqlOk(t, '{ sweeps(first: 10) { totalCount edges { node { id status strategy objective { metric direction } } } } }')).sweeps;
  expect(listed.edges[0].node).toEqual({ id: sweep.id, status: 'SUCCEEDED', strategy: 'GRID', objective: { metric: 'ACCURACY', direction: 'MAXIMIZE' } });
}, 60_000);

it('cancelSweep cancels every queued and running trial run, and no trial starts after', async () => {
  const sweep = await start({ modelName: 'sweep-cancel', baseSpec: { ...SPEC, epochs: 3 }, space: [{ path: 'batchSize', values: [16, 32, 48, 64] }] });
  // Cancel once a board shows a trial run (the stream goes on to the CANCELLED board, then ends).
  const client = wsClient(t.wsUrl, t.token);
  const seen: Board[] = [];
  let cancelling: Promise<Record<string, any>> | undefined;
  await new Promise<void>((resolve, reject) => {
    client.subscribe<{ sweepLeaderboard: Board }>(
      { query: FOLLOW, variables: { id: sweep.id } },
      {
        next: (v) => {
          const b = v.data!.sweepLeaderboard;
          seen.push(b);
          if (cancelling || !b.trials.some((x) => x.trainingRunId)) return;
          cancelling = gqlOk(t, CANCEL, { id: sweep.id }); // asked once
          cancelling.catch(reject);
        },
        error: reject,
        complete: resolve,
      },
    );
  }).finally(() => client.dispose());
  expect((await cancelling!).cancelSweep).toMatchObject({ id: sweep.id, status: 'CANCELLED' });
  expect(seen[seen.length - 1].sweep.status).toBe('CANCELLED');
  const got = (await gqlOk(t, SWEEP, { id: sweep.id })).sweep;
  expect(got.status).toBe('CANCELLED');
  expect(got.bestVersionId).toBeNull();
  // Every trial ended (a trial whose run finished before the cancel keeps SUCCEEDED), none is left to start.
  expect(got.leaderboard.every((x: any) => ['CANCELLED', 'SUCCEEDED'].includes(x.status))).toBe(true);
  expect(got.leaderboard.filter((x: any) => x.status === 'CANCELLED').length).toBeGreaterThanOrEqual(2);
  const runs = (await gqlOk(t, `{ trainingRunsConnection(modelName: "sweep-cancel") { edges { node { id status } } } }`)).trainingRunsConnection.edges.map((e: any) => e.node);
  expect(runs.length).toBeGreaterThanOrEqual(1);
  expect(runs.length).toBeLessThanOrEqual(2); // maxConcurrent: the others never started
  expect(runs.every((r: any) => r.status === 'CANCELLED' || r.status === 'SUCCEEDED')).toBe(true);
  const again = await gql(t, CANCEL, { id: sweep.id });
  expect(codeOf(again)).toBe('INVALID_STATE');
}, 30_000);

it('refuses an unknown path, a value the spec refuses and budgets over their caps, storing nothing', async () => {
  const refused = async (extra: Record<string, unknown>) => {
    const r = await gql(t, START, { input: input({ modelName: 'sweep-bad', ...extra }) });
    return { code: codeOf(r), message: r.errors?.[0]?.message, field: r.errors?.[0]?.extensions?.field };
  };
  expect(await refused({ space: [{ path: 'optimizer.learningRat', values: [0.1] }] })).toEqual({
    code: 'BAD_USER_INPUT',
    message: "space[0].path 'optimizer.learningRat' is not a spec field (did you mean 'optimizer.learningRate'?)",
    field: 'space[0].path',
  });
  expect(await refused({ space: [{ path: 'optimizer.learningRate', values: [0.01, 'fast'] }] })).toEqual({
    code: 'BAD_USER_INPUT',
    message: "Trial optimizer.learningRate = 'fast': spec.optimizer.learningRate 'fast': Float cannot represent non numeric value: \"fast\"",
    field: 'space',
  });
  const negative = await refused({ space: [{ path: 'layers.0.units', values: [4, -3] }] });
  expect(negative.code).toBe('BAD_USER_INPUT');
  expect(negative.message).toMatch(/^Trial layers\.0\.units = '-3': .*units/);
  expect(await refused({ budget: { maxTrials: 101, maxConcurrent: 2 }, space: [{ path: 'batchSize', values: [16] }] })).toEqual({
    code: 'QUOTA_EXCEEDED',
    message: 'budget.maxTrials 101 is over the limit of 100',
    field: 'budget.maxTrials',
  });
  expect(await refused({ budget: { maxTrials: 2, maxConcurrent: 1 }, space: [{ path: 'batchSize', values: [16, 32, 64] }] })).toEqual({
    code: 'BAD_USER_INPUT',
    message: 'The grid has 3 combinations, more than budget.maxTrials 2',
    field: 'budget.maxTrials',
  });
  expect(await refused({ space: [{ path: 'batchSize', min: 16, max: 64 }] })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'space[0]' });
  const listed = (await gqlOk(t, '{ sweeps(first: 50) { edges { node { id modelName } } } }')).sweeps.edges;
  expect(listed.every((e: any) => e.node.modelName !== 'sweep-bad')).toBe(true);
  expect((await gqlOk(t, '{ trainingRunsConnection(modelName: "sweep-bad") { totalCount } }')).trainingRunsConnection.totalCount).toBe(0);
});

it("another tenant's sweep is NOT_FOUND everywhere", async () => {
  const { id } = await start({
    modelName: 'sweep-private',
    baseSpec: { ...SPEC, epochs: 200 },
    space: [{ path: 'batchSize', values: [16] }],
    budget: { maxTrials: 1, maxConcurrent: 1 },
  });
  expect(codeOf(await gql(other, SWEEP, { id }))).toBe('NOT_FOUND');
  expect((await gqlOk(other, 'query($id: ID!) { node(id: $id) { id } }', { id })).node).toBeNull();
  expect(codeOf(await gql(other, CANCEL, { id }))).toBe('NOT_FOUND');
  const streamed = await follow(other, id);
  expect(streamed[0].errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  expect(codeOf(await gql(other, START, { input: input({ space: [{ path: 'batchSize', values: [16] }] }) }))).toBe('NOT_FOUND');
  expect((await gqlOk(other, '{ sweeps { totalCount } }')).sweeps.totalCount).toBe(0);
  // A key with only training:run cancels it (as cancelTrainingRun), and gets the cancelled sweep back.
  const key = (await gqlOk(t, 'mutation { createApiKey(input: { name: "run-only", scopes: [TRAINING_RUN] }) { key } }')).createApiKey.key;
  expect((await gqlOk({ url: t.url, token: key }, CANCEL, { id })).cancelSweep).toMatchObject({ id, status: 'CANCELLED' });
});

it('RANDOM draws the same trials from the same seed, other trials from another, inside the ranges', async () => {
  const space = [
    { path: 'optimizer.learningRate', min: 0.0001, max: 0.1, log: true },
    { path: 'batchSize', min: 16, max: 128, integer: true },
    { path: 'optimizer.name', values: ['ADAM', 'SGD', 'RMSPROP'] },
  ];
  const paramsOf = async (seed: number) => {
    const sweep = await start({ modelName: `sweep-random-${seed}`, strategy: 'RANDOM', seed, space, budget: { maxTrials: 5, maxConcurrent: 1 } });
    const trials = (await gqlOk(t, SWEEP, { id: sweep.id })).sweep.leaderboard.sort((a: any, b: any) => a.index - b.index);
    await gqlOk(t, CANCEL, { id: sweep.id });
    return trials.map((x: any) => x.params);
  };
  const first = await paramsOf(7);
  expect(first).toHaveLength(5);
  expect(await paramsOf(7)).toEqual(first);
  expect(await paramsOf(8)).not.toEqual(first);
  for (const p of first) {
    expect(p['optimizer.learningRate']).toBeGreaterThanOrEqual(0.0001);
    expect(p['optimizer.learningRate']).toBeLessThanOrEqual(0.1);
    expect(Number.isInteger(p.batchSize) && p.batchSize >= 16 && p.batchSize <= 128).toBe(true);
    expect(['ADAM', 'SGD', 'RMSPROP']).toContain(p['optimizer.name']);
  }
});

it('SUCCESSIVE_HALVING trains 4 configurations 1 epoch, then the best 2 again with 2 epochs', async () => {
  const sweep = await start({
    modelName: 'sweep-halving',
    strategy: 'SUCCESSIVE_HALVING',
    baseSpec: { ...SPEC, epochs: 2 },
    space: [{ path: 'optimizer.learningRate', values: [0.0005, 0.005, 0.05, 0.2] }],
    halving: { eta: 2, minEpochs: 1 },
  });
  const streamed = boards(await follow(t, sweep.id));
  expect(streamed[streamed.length - 1].sweep.status).toBe('SUCCEEDED');
  const got = (await gqlOk(t, SWEEP, { id: sweep.id })).sweep;
  const trials: Record<string, any>[] = got.leaderboard;
  const rung0 = trials.filter((x) => x.rung === 0);
  const rung1 = trials.filter((x) => x.rung === 1);
  expect([rung0.length, rung1.length]).toEqual([4, 2]);
  expect(rung0.every((x) => x.epochs === 1 && x.epochsDone === 1 && x.status === 'SUCCEEDED')).toBe(true);
  expect(rung1.every((x) => x.epochs === 2 && x.epochsDone === 2 && x.status === 'SUCCEEDED')).toBe(true);
  // The configurations carried on are rung 0's best two (ranked within the rung), as new runs.
  expect(new Set(rung1.map((x) => x.config))).toEqual(new Set(rung0.slice(0, 2).map((x) => x.config)));
  expect(new Set(rung1.map((x) => x.trainingRunId)).size).toBe(2);
  expect(rung1.some((x) => rung0.some((y) => y.trainingRunId === x.trainingRunId))).toBe(false);
  // Later rungs rank first; the best is rung 1's best.
  expect(trials.slice(0, 2).map((x) => x.rung)).toEqual([1, 1]);
  expect(got.bestTrialId).toBe(trials[0].id);
  expect(got.bestVersion.metrics.accuracy).toBe(trials[0].objective);
}, 30_000);

it('stops a trial clearly behind the finished ones early (median stopping rule) and cancels its run', async () => {
  const good = (learningRate: number) => ({ name: 'ADAM', learningRate });
  const sweep = await start({
    modelName: 'sweep-early',
    baseSpec: { ...SPEC, epochs: 6, batchSize: 32 },
    space: [{ path: 'optimizer', values: [good(0.05), good(0.04), good(0.06), { name: 'SGD', learningRate: 1e-7 }] }],
    objective: { metric: 'LOG_LOSS', direction: 'MINIMIZE' },
    budget: { maxTrials: 4, maxConcurrent: 1 },
    earlyStop: true,
  });
  const streamed = boards(await follow(t, sweep.id));
  expect(streamed[streamed.length - 1].sweep.status).toBe('SUCCEEDED');
  const trials: Record<string, any>[] = (await gqlOk(t, SWEEP, { id: sweep.id })).sweep.leaderboard;
  const byIndex = [...trials].sort((a, b) => a.index - b.index);
  expect(byIndex.map((x) => x.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'STOPPED_EARLY']);
  const stopped = byIndex[3];
  expect(stopped.epochsDone).toBeLessThan(6);
  expect(stopped.rank).toBe(4);
  const run = (await gqlOk(t, 'query($id: ID!) { trainingRun(id: $id) { status } }', { id: stopped.trainingRunId })).trainingRun;
  expect(run.status).toBe('CANCELLED');
}, 30_000);
