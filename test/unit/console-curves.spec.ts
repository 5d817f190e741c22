/**
 * The run page's curves (web/console/charts/curves.ts): read from a down-sampled metricHistory
 * answer (each metric keeping its own epochs), grown by live epochs, started over on a requeued
 * run's epoch 1, and merged into one chart's x with nulls where a metric has no point.
 */
import { addEpoch, chartData, fromHistory } from '../../web/console/charts/curves';

const LABELS = { loss: 'train loss', valLoss: 'validation loss', accuracy: 'train accuracy', valAccuracy: 'validation accuracy' };

// 1,000 epochs down-sampled to 3 points each: LTTB kept a different middle epoch per metric.
const HISTORY = [
  {
    key: 'loss',
    totalPoints: 1000,
    points: [
      { epoch: 1, value: 0.9 },
      { epoch: 400, value: 0.5 },
      { epoch: 1000, value: 0.3 },
    ],
  },
  {
    key: 'valLoss',
    totalPoints: 1000,
    points: [
      { epoch: 1, value: 1 },
      { epoch: 700, value: 0.6 },
      { epoch: 1000, value: 0.55 },
    ],
  },
  { key: 'accuracy', totalPoints: 0, points: [] },
];

it('reads the history: the last epoch is the last point kept, a chart joins the metrics on their epochs', () => {
  const curves = fromHistory(HISTORY);
  expect(curves.last).toBe(1000);
  expect(chartData(curves, ['loss', 'valLoss'], LABELS)).toEqual({
    x: [1, 400, 700, 1000],
    curves: [
      { label: 'train loss', values: [0.9, 0.5, null, 0.3] },
      { label: 'validation loss', values: [1, null, 0.6, 0.55] },
    ],
  });
  // No accuracy recorded: no curve, and no x.
  expect(chartData(curves, ['accuracy', 'valAccuracy'], LABELS)).toEqual({ x: [], curves: [] });
});

it('appends live epochs after the history, and starts over when a requeued run sends epoch 1 again', () => {
  let curves = fromHistory(HISTORY);
  curves = addEpoch(curves, { epoch: 1001, loss: 0.29, valLoss: null, accuracy: 0.8, valAccuracy: undefined });
  expect(curves.last).toBe(1001);
  expect(chartData(curves, ['loss', 'valLoss'], LABELS).x).toEqual([1, 400, 700, 1000, 1001]);
  expect(chartData(curves, ['loss', 'valLoss'], LABELS).curves[1].values.at(-1)).toBeNull();
  expect(chartData(curves, ['accuracy'], LABELS)).toEqual({ x: [1001], curves: [{ label: 'train accuracy', values: [0.8] }] });

  const again = addEpoch(curves, { epoch: 1, loss: 0.95, valLoss: 1.1, accuracy: null, valAccuracy: null });
  expect(again.last).toBe(1);
  expect(chartData(again, ['loss', 'valLoss', 'accuracy'], LABELS)).toEqual({
    x: [1],
    curves: [
      { label: 'train loss', values: [0.95] },
      { label: 'validation loss', values: [1.1] },
    ],
  });
  // The first epoch of a run with no history yet is just the first point.
  expect(addEpoch(fromHistory([]), { epoch: 1, loss: 0.7, valLoss: null, accuracy: null, valAccuracy: null }).last).toBe(1);
});
