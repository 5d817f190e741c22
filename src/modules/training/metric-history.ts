/**
 * A run's metric curves for charts (`metricHistory`): per key, the (epoch, value) points of the
 * stored epochs, down-sampled with Largest-Triangle-Three-Buckets (src/ml/lttb.ts) so a long run
 * costs a client `samples` points per curve rather than every epoch.
 */
import { AppError, quote } from '../../lib/errors';
import { lttb } from '../../ml/lttb';

/** The per-epoch metrics a history can ask for. */
export const METRIC_KEYS = ['loss', 'accuracy', 'valLoss', 'valAccuracy', 'elapsedMs'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** Points per curve: at least 3 (first, last and one between), at most this. */
export const MAX_SAMPLES = 10_000;

/** One stored epoch, as the repo reads it. */
export type EpochRow = { epoch: number } & Record<MetricKey, number | null>;

/** One curve: its points (epoch order) and how many the run has in all. */
export interface MetricSeries {
  key: MetricKey;
  points: { epoch: number; value: number }[];
  totalPoints: number;
}

/**
 * Curves of `keys` from `epochs`, each down-sampled to at most `samples` points (epochs without the
 * metric are skipped).
 * @throws AppError BAD_USER_INPUT naming `keys` (unknown or none) or `samples` (outside 3..MAX_SAMPLES).
 */
export function downsample(epochs: readonly EpochRow[], keys: readonly string[], samples: number): MetricSeries[] {
  if (keys.length === 0) throw new AppError('BAD_USER_INPUT', `\`keys\` is empty: name one or more of ${METRIC_KEYS.join(', ')}`, { field: 'keys', value: [] });
  for (const key of keys) {
    if (!(METRIC_KEYS as readonly string[]).includes(key)) {
      throw new AppError('BAD_USER_INPUT', `\`keys\` has ${quote(key)}, which is not a metric: use ${METRIC_KEYS.join(', ')}`, { field: 'keys', value: key });
    }
  }
  if (!Number.isInteger(samples) || samples < 3 || samples > MAX_SAMPLES) {
    throw new AppError('BAD_USER_INPUT', `\`samples\` must be a whole number from 3 to ${MAX_SAMPLES}, not ${samples}`, { field: 'samples', value: samples });
  }
  return [...new Set(keys as MetricKey[])].map((key) => {
    const line = epochs.flatMap((e) => (e[key] == null ? [] : [{ x: e.epoch, y: e[key] as number }]));
    return { key, totalPoints: line.length, points: lttb(line, samples).map((p) => ({ epoch: p.x, value: p.y })) };
  });
}
