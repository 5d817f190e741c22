/**
 * A run's curves in the browser (no DOM here, so unit tests can use it): read from `metricHistory`
 * (each metric down-sampled on the server, so each may keep different epochs), then grown by the
 * live EPOCH events of `trainingProgress`, and turned into one chart's x and values.
 */

/** The per-epoch metrics the run page draws, as `metricHistory` names them. */
export const CURVE_KEYS = ['loss', 'valLoss', 'accuracy', 'valAccuracy'] as const;
export type CurveKey = (typeof CURVE_KEYS)[number];

/** One metric's curve as `metricHistory` answers it (`MetricSeries`). */
export interface HistorySeries {
  key: string;
  totalPoints: number;
  points: { epoch: number; value: number }[];
}

/** The curves so far: a value per epoch for each metric, and the last epoch seen (epochs run 1…last). */
export interface Curves {
  values: Record<CurveKey, ReadonlyMap<number, number>>;
  last: number;
}

/** No epochs yet (or the run started over). */
export const emptyCurves = (): Curves => ({ values: { loss: new Map(), valLoss: new Map(), accuracy: new Map(), valAccuracy: new Map() }, last: 0 });

/** The curves of a `metricHistory` answer; its first and last epochs are always kept, so `last` is the run's last stored epoch. */
export function fromHistory(history: readonly HistorySeries[]): Curves {
  const curves = emptyCurves();
  for (const s of history) {
    if (!(CURVE_KEYS as readonly string[]).includes(s.key)) continue;
    curves.values[s.key as CurveKey] = new Map(s.points.map((p) => [p.epoch, p.value]));
    curves.last = Math.max(curves.last, s.points.at(-1)?.epoch ?? 0);
  }
  return curves;
}

/** One epoch's metrics, as an EPOCH event carries them (null: not measured). */
export type EpochValues = { epoch: number } & Record<CurveKey, number | null | undefined>;

/**
 * The curves with one more epoch. An epoch 1 while curves are held means the run started over
 * (requeued since the history was read): the old curves go.
 */
export function addEpoch(curves: Curves, e: EpochValues): Curves {
  const base = e.epoch === 1 && curves.last > 0 ? emptyCurves() : curves;
  const values = { ...base.values };
  for (const key of CURVE_KEYS) {
    const v = e[key];
    if (v != null) values[key] = new Map(values[key]).set(e.epoch, v);
  }
  return { values, last: Math.max(base.last, e.epoch) };
}

/** One chart's data: the epochs any of its metrics has (ascending) and each metric's value there (null where it has none). */
export interface ChartData {
  x: number[];
  curves: { label: string; values: (number | null)[] }[];
}

/** The chart of the metrics in `keys` (labelled by `labels`) that have any point; empty curves are left out. */
export function chartData(curves: Curves, keys: readonly CurveKey[], labels: Record<CurveKey, string>): ChartData {
  const shown = keys.filter((k) => curves.values[k].size > 0);
  const x = [...new Set(shown.flatMap((k) => [...curves.values[k].keys()]))].sort((a, b) => a - b);
  return { x, curves: shown.map((k) => ({ label: labels[k], values: x.map((epoch) => curves.values[k].get(epoch) ?? null) })) };
}
