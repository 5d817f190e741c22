/**
 * The cost limits of a network run (src/ml/families/network/cost.ts): weights, activations per
 * batch, estimated memory and work, each refused with QUOTA_EXCEEDED stating the limit and the
 * value, checked in that order, with the tenant's limits or the defaults.
 */
import { loadConfig } from '../../src/config';
import { AppError } from '../../src/lib/errors';
import { DEFAULT_COST_LIMITS, type CostLimits } from '../../src/ml/cost-limits';
import { checkNetworkCost, networkCost } from '../../src/ml/families/network/cost';
import { normalizeSpec } from '../../src/ml/spec';
import { trainingLimits } from '../../src/modules/quotas/training-limits';

const dense = (units: number[], batchSize = 32, epochs = 1) =>
  normalizeSpec({
    model: 'neural_network',
    layers: [...units.map((u) => ({ type: 'dense' as const, units: u, activation: 'relu' as const })), { type: 'dense' as const, units: 1, activation: 'sigmoid' as const }],
    loss: 'binary_crossentropy',
    epochs,
    batchSize,
  });

const SHAPE = { inputs: 8, outputs: 1, featureColumns: 8, rows: 1000 };

function refusal(fn: () => void): { code: string; message: string; details?: Record<string, unknown> } {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.message, details: err.details };
    throw err;
  }
  return { code: 'no error', message: '' };
}

it('counts weights, activations per batch and memory of a dense network', () => {
  const spec = dense([16, 16], 10, 2);
  // (8+1)·16 + (16+1)·16 + (16+1)·1 = 144 + 272 + 17 = 433 weights; 10 × (8 + 16 + 16 + 1) = 410 activations.
  expect(networkCost(spec, SHAPE)).toEqual({ weights: 433, activations: 410, memoryBytes: 4 * (4 * 433 + 3 * 410 + 1000 * 9), work: 433 * 1000 * 2 });
});

it('accepts a spec within every default limit', () => {
  expect(refusal(() => checkNetworkCost(dense([256, 256, 256], 1024, 100), SHAPE)).code).toBe('no error');
});

it.each<[keyof CostLimits, () => ReturnType<typeof dense>, Partial<CostLimits>, RegExp]>([
  [
    'maxParameters',
    () => dense([2048, 2048]),
    { maxParameters: 4_000_000 },
    /^NEURAL_NETWORK with 4216833 weights is too large: the limit is 4000000 weights \(parameters\) per network; /,
  ],
  [
    'maxActivations',
    () => dense([512, 512], 8192),
    {},
    /^NEURAL_NETWORK with 267777 weights has 8462336 activations per batch \(spec\.batchSize 8192 × the widths of the inputs and layers\); the limit is 4194304: /,
  ],
  [
    'maxMemoryBytes',
    () => dense([16]),
    { maxMemoryBytes: 1000 },
    /^NEURAL_NETWORK with 161 weights on 1000 rows needs an estimated 0 MiB \(\d+ bytes: .*\); the limit is 0 MiB \(1000 bytes\): /,
  ],
  [
    'maxWork',
    () => dense([1024], 32, 1000),
    { maxWork: 1e9 },
    /^NEURAL_NETWORK with 10241 weights on 1000 rows for 1000 epochs is too large: weights · rows · epochs must stay under 1e\+9, got 1\.0e\+10; /,
  ],
])('%s: QUOTA_EXCEEDED stating the limit and the value', (quota, spec, override, message) => {
  const limits = { ...DEFAULT_COST_LIMITS, ...override };
  const got = refusal(() => checkNetworkCost(spec(), SHAPE, limits));
  expect(got.code).toBe('QUOTA_EXCEEDED');
  expect(got.message).toMatch(message);
  expect(got.details).toMatchObject({ quota, limit: limits[quota] });
});

it('takes its configured defaults (TRAINING_MAX_*) from DEFAULT_COST_LIMITS', () => {
  expect(trainingLimits(loadConfig({ DATABASE_URL: 'postgresql://localhost/x', NODE_ENV: 'test' }))).toEqual(DEFAULT_COST_LIMITS);
  expect(() => loadConfig({ DATABASE_URL: 'postgresql://localhost/x', NODE_ENV: 'test', TRAINING_MAX_PARAMETERS: '1e400' })).toThrow(/TRAINING_MAX_PARAMETERS/);
});
