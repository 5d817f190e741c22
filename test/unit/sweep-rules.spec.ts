/** The pure rules of sweeps: search-space expansion, the median stopping rule, successive halving's rungs. */
import { nextRung, shouldStopEarly, epochValue, compareObjective } from '../../src/modules/sweeps/objective';
import { configurations, randomConfigurations, withValue, checkSpace } from '../../src/modules/sweeps/search-space';

it('expands a grid with the first dimension slowest and refuses one over the budget', () => {
  const space = [
    { path: 'a', values: [1, 2] },
    { path: 'b', values: ['x', 'y', 'z'] },
  ];
  expect(configurations(space, 'GRID', 6, 0).map((p) => `${p.a}${p.b}`)).toEqual(['1x', '1y', '1z', '2x', '2y', '2z']);
  expect(() => configurations(space, 'GRID', 5, 0)).toThrow('The grid has 6 combinations, more than budget.maxTrials 5');
});

it('draws random configurations reproducibly, log-uniform and integer ranges inside their bounds', () => {
  const space = [
    { path: 'lr', min: 1e-4, max: 1e-1, log: true },
    { path: 'units', min: 2, max: 5, integer: true },
  ];
  const a = randomConfigurations(space, 200, 3);
  expect(randomConfigurations(space, 200, 3)).toEqual(a);
  expect(a.every((p) => (p.lr as number) >= 1e-4 && (p.lr as number) <= 1e-1)).toBe(true);
  expect(new Set(a.map((p) => p.units))).toEqual(new Set([2, 3, 4, 5]));
  // Log-uniform: about as many draws below 1e-2.5 as above.
  const below = a.filter((p) => (p.lr as number) < 10 ** -2.5).length;
  expect(below).toBeGreaterThan(70);
  expect(below).toBeLessThan(130);
  expect(() => checkSpace([{ path: 'lr', min: 0, max: 1, log: true }], 'RANDOM')).toThrow("space[0] ('lr'): a log range needs min > 0, not 0");
  // A range whose width overflows a double (±1.7e308) still draws finite values inside it.
  const wide = randomConfigurations([{ path: 'x', min: -1.7e308, max: 1.7e308 }], 50, 1).map((p) => p.x as number);
  expect(wide.every((x) => Number.isFinite(x) && x >= -1.7e308 && x <= 1.7e308)).toBe(true);
});

it('sets a value at a dotted path without touching the base', () => {
  const base = { layers: [{ units: 4 }], epochs: 1 };
  expect(withValue(base, 'layers.0.units', 8)).toEqual({ layers: [{ units: 8 }], epochs: 1 });
  expect(withValue(base, 'optimizer.learningRate', 0.1)).toEqual({ ...base, optimizer: { learningRate: 0.1 } });
  expect(base.layers[0].units).toBe(4);
  expect(() => withValue(base, 'layers.3.units', 1)).toThrow("space path 'layers.3.units': the base spec has no 'layers.3'");
});

it('stops a trial whose best epoch is worse than the median of 3 finished trials at the same epoch (Vizier)', () => {
  const finished = [
    [0.6, 0.7, 0.75],
    [0.65, 0.72, 0.74],
    [0.5, 0.6, 0.7],
  ];
  // Running averages at epoch 2: 0.65, 0.685, 0.55 → median 0.65.
  expect(shouldStopEarly('MAXIMIZE', [0.55, 0.6], finished)).toBe(true);
  expect(shouldStopEarly('MAXIMIZE', [0.55, 0.66], finished)).toBe(false);
  expect(shouldStopEarly('MAXIMIZE', [0.1, 0.1], finished.slice(0, 2))).toBe(false); // fewer than 3 finished
  expect(shouldStopEarly('MINIMIZE', [0.9], [[0.5], [0.6], [0.7]])).toBe(true);
  expect(shouldStopEarly('MINIMIZE', [0.55], [[0.5], [0.6], [0.7]])).toBe(false);
  // A trial that reported all its epochs is writing its version: kept, however far behind.
  expect(shouldStopEarly('MINIMIZE', [0.9], [[0.5], [0.6], [0.7]], 1)).toBe(false);
  expect(shouldStopEarly('MAXIMIZE', [0.55, 0.6], finished, 2)).toBe(false);
  expect(shouldStopEarly('MAXIMIZE', [0.55, 0.6], finished, 5)).toBe(true);
});

it('plans successive halving rungs and reads the objective of an epoch', () => {
  expect(nextRung(3, 1, 9, 9)).toEqual({ epochs: 3, keep: 3 });
  expect(nextRung(3, 3, 9, 3)).toEqual({ epochs: 9, keep: 1 });
  expect(nextRung(3, 9, 9, 1)).toBeNull();
  expect(nextRung(2, 1, 4, 1)).toBeNull();
  expect(epochValue('ACCURACY', { epoch: 1, loss: 0.5, accuracy: 0.7, valAccuracy: 0.65 })).toBe(0.65);
  expect(epochValue('RMSE', { epoch: 1, loss: 4, metrics: { mse: 4 } })).toBe(2);
  expect(epochValue('F1', { epoch: 1, loss: 0.5 })).toBeNull();
  expect([0.5, null, 0.9, 0.7].sort((a, b) => compareObjective('MAXIMIZE', a, b))).toEqual([0.9, 0.7, 0.5, null]);
});
