/**
 * One tenant's training run cannot break training for another (issue #10, item 1): a network spec
 * whose layers are each within the per-field caps but whose total is huge is refused at
 * startTrainingRun with QUOTA_EXCEEDED stating the limit; with one tenant's limits raised on purpose
 * by the operator (setTenantLimits), the
 * run that exhausts its training thread's runtime fails alone (RUNTIME_FAULT, with a reason), the
 * thread is replaced, and the next run of another tenant succeeds on a fresh runtime.
 */
import type { App } from '../src/app';
import { gql, gqlOk } from '../src/client/graphql-client';
import { DEFAULT_COST_LIMITS } from '../src/ml/cost-limits';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv } from './support/factories';
import { ADMIN_SECRET } from './support/secrets';
import { START_RUN, startRun, waitForRun } from './support/training';

const SET_LIMITS = 'mutation($t: ID!, $l: TenantLimitsInput!) { setTenantLimits(tenantId: $t, limits: $l) { defaults } }';

/** Each layer is within the caps (4,096 units, 50 layers); 24 × 4096² ≈ 400M weights in all. */
const HUGE = {
  ...KERAS_SPEC,
  layers: [
    { type: 'DENSE', units: 4096, inputDim: 8, activation: 'RELU' },
    ...Array.from({ length: 23 }, () => ({ type: 'DENSE', units: 4096, activation: 'RELU' })),
    { type: 'DENSE', units: 1, activation: 'SIGMOID' },
  ],
  epochs: 1,
  batchSize: 32,
};
const HUGE_WEIGHTS = 9 * 4096 + 23 * 4097 * 4096 + 4097;

const refusal = async (app: App, spec: object) => {
  const t = await createTenant(app, 'big');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const res = await gql(t, START_RUN, { input: { datasetId, targetColumn: 'Outcome', modelName: 'big', spec } });
  return res.errors?.[0];
};

describe('with the default limits', () => {
  let app: App;
  beforeAll(async () => (app = await startTestApp()));
  afterAll(() => app.stop());

  it('refuses too many weights at startTrainingRun with QUOTA_EXCEEDED stating the limit and the value', async () => {
    const err = await refusal(app, HUGE);
    expect(err?.extensions?.code).toBe('QUOTA_EXCEEDED');
    expect(err?.message).toBe(
      `NEURAL_NETWORK with ${HUGE_WEIGHTS} weights is too large: the limit is ${DEFAULT_COST_LIMITS.maxParameters} weights (parameters) per network; use fewer or smaller layers (spec.layers[].units)`,
    );
  });

  it('refuses too many activations per batch (batch size × widths), each layer and the weights being within limits', async () => {
    // 8 inputs + 10 × 512 units + 1 output = 5,129 per row; 1,000 rows a batch = 5,129,000 > 2^22 (2.4M weights, within limits).
    const wide = {
      ...KERAS_SPEC,
      layers: [{ type: 'DENSE', units: 512, inputDim: 8 }, ...Array.from({ length: 9 }, () => ({ type: 'DENSE', units: 512 })), { type: 'DENSE', units: 1, activation: 'SIGMOID' }],
      batchSize: 1000,
    };
    const err = await refusal(app, wide);
    expect(err?.extensions?.code).toBe('QUOTA_EXCEEDED');
    expect(err?.message).toMatch(
      /^NEURAL_NETWORK with \d+ weights has 5129000 activations per batch \(spec\.batchSize 1000 × the widths of the inputs and layers\); the limit is 4194304: /,
    );
  });
});

describe("with one tenant's limits set high on purpose (setTenantLimits)", () => {
  let app: App;
  beforeAll(async () => (app = await startTestApp({ TRAINING_THREAD: 'thread' })));
  afterAll(() => app.stop());

  it('fails the oversized run alone (RUNTIME_FAULT with a reason) and the next run of another tenant succeeds on a fresh thread', async () => {
    const before = await app.threads.training.run('threadInfo', undefined);
    const big = await createTenant(app, 'big');
    // Only this tenant's limits are raised; the worker reads them when the run starts.
    await gqlOk({ url: app.server.url, headers: { 'x-admin-secret': ADMIN_SECRET } }, SET_LIMITS, {
      t: big.tenantId,
      l: { trainingMaxParameters: 1e12, trainingMaxMemoryBytes: 1e15, trainingMaxWork: 1e15 },
    });
    const bigData = await uploadCsv(big, PIMA_CSV, 'pima');
    const { id } = await startRun(big, bigData, 'huge', HUGE);
    const failed = await waitForRun(big, id);
    expect(failed.status).toBe('FAILED');
    expect(failed.failureMessage).toBe(
      "The training runtime failed: Aborted(). Build with -sASSERTIONS for more info. The run's spec is probably too large for the server (see the TRAINING_MAX_* limits); nothing else was affected",
    );
    expect(failed.failureMessage).toMatch(/^The training runtime failed: .+\. The run's spec is probably too large for the server/);

    const other = await createTenant(app, 'other');
    const otherData = await uploadCsv(other, PIMA_CSV, 'pima');
    // The other tenant keeps the defaults: the same spec is refused for it.
    const refused = await gql(other, START_RUN, { input: { datasetId: otherData, targetColumn: 'Outcome', modelName: 'big', spec: HUGE } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('QUOTA_EXCEEDED');
    const ok = await waitForRun(other, (await startRun(other, otherData, 'diabetes')).id);
    expect(ok.status).toBe('SUCCEEDED');
    expect(ok.modelVersion.metrics.accuracy).toBeGreaterThan(0.6);
    const after = await app.threads.training.run('threadInfo', undefined);
    expect(after.threadId).not.toBe(before.threadId); // the faulted thread was replaced
    expect(after.tensors).toBe(before.tensors); // a fresh runtime, nothing left behind
  }, 300_000); // growing to the WASM heap's limit takes ~30 s on a quiet machine, minutes on a busy one
});
