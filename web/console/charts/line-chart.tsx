/**
 * Curves by epoch or boosting round (uPlot: a few kB, canvas, redraws thousands of points cheaply,
 * so a live run's curve can grow an epoch at a time with `setData`). A curve may be down-sampled
 * (fewer points than epochs; a curve's nulls are joined over). The numbers are one click away in a
 * table under the chart (<details>), and the canvas is labelled with the last values.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { num, plural } from '../ui';

/** One curve: its label and a value (or null) per x. */
export interface Curve {
  label: string;
  values: (number | null)[];
}

const COLOURS = ['#1f6feb', '#d9480f', '#2b8a3e', '#9c36b5'];

/** Dots on the points while they are at least 10 px apart (a long curve is a line only). */
const sparse = (u: uPlot) => u.data[0].length <= u.bbox.width / devicePixelRatio / 10;

/**
 * A line chart of `curves` against `x` (epochs, or rounds: `unit`), `title` naming it for screen
 * readers; `total` is how many epochs the curves cover when they hold fewer points (down-sampled);
 * `yRange` fixes the value axis (accuracy: [0, 1]) instead of fitting it to the points.
 */
export function LineChart({
  title,
  x,
  curves,
  unit = 'epoch',
  total = x.length,
  yRange,
}: {
  title: string;
  x: number[];
  curves: Curve[];
  unit?: 'epoch' | 'round';
  total?: number;
  yRange?: [number, number];
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = curves.map((c) => c.label).join('|');

  useEffect(() => {
    const el = box.current!;
    const width = () => Math.max(260, Math.min(el.clientWidth || 600, 900));
    plot.current = new uPlot(
      {
        width: width(),
        height: 260,
        scales: { x: { time: false }, ...(yRange ? { y: { range: yRange } } : {}) },
        legend: { live: false },
        axes: [{ label: unit, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, {}], // whole epochs only
        series: [{ label: unit }, ...curves.map((c, i) => ({ label: c.label, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: true, points: { size: 5, show: sparse } }))],
      },
      [x, ...curves.map((c) => c.values)] as uPlot.AlignedData,
      el,
    );
    const resize = () => plot.current?.setSize({ width: width(), height: 260 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of curves changes; new points go through setData below.
  }, [shape, unit]);

  useEffect(() => {
    plot.current?.setData([x, ...curves.map((c) => c.values)] as uPlot.AlignedData);
  }, [x, curves]);

  const last = curves.map((c) => `${c.label} ${num(c.values[c.values.length - 1])}`).join(', ');
  const count = x.length < total ? `${plural(x.length, 'point')} of ${plural(total, unit)}` : plural(x.length, unit);
  return (
    <figure class="chart" data-points={x.length}>
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title}: ${count}${x.length ? `; last ${unit} ${last}` : ''}`} />
      <details>
        <summary>Show the numbers ({count})</summary>
        <table>
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{unit === 'epoch' ? 'Epoch' : 'Round'}</th>
              {curves.map((c) => (
                <th scope="col" key={c.label}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {x.map((epoch, i) => (
              <tr key={epoch}>
                <th scope="row">{epoch}</th>
                {curves.map((c) => (
                  <td key={c.label}>{num(c.values[i])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
